# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, models


class ReportKpiSummary(models.AbstractModel):
    _name = "report.crm_customer_template_reports.report_kpi_summary"
    _description = "Customer KPI Summary Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        common = self.env["crm.customer.report.common"]
        Kpi = self.env["crm.customer.kpi"]
        kpis = Kpi.get_kpis(common._report_filters(docids, data))
        tiles = []
        for key, label in Kpi._tile_labels():
            tile = kpis["tiles"][key]
            tiles.append({
                **tile,
                "key": key,
                "label": label,
                "text": Kpi._format_value(tile),
                "previous_text": Kpi._format_value({**tile, "value": tile["previous"]}),
            })
        breakdowns = [
            {"key": key, "label": label, "segments": kpis["breakdowns"].get(key, [])}
            for key, label in Kpi._breakdown_labels()
        ]
        trend_rows = []
        for index, month in enumerate(kpis["months"]):
            trend_rows.append({
                "month": month,
                "values": [
                    Kpi._format_value({**kpis["tiles"][key],
                                       "value": kpis["tiles"][key]["trend"][index]})
                    for key in TREND_KEYS
                ],
            })
        return {
            "doc_ids": docids,
            "doc_model": "crm.customer.report.wizard",
            "docs": self.env["crm.customer.report.wizard"].browse(docids),
            "kpis": kpis,
            "tiles": tiles,
            "breakdowns": breakdowns,
            "trend_headers": [dict(Kpi._tile_labels())[key] for key in TREND_KEYS],
            "trend_rows": trend_rows,
            **common._heading(_("Customer KPI Summary"), kpis["filter"]["text"]),
        }


TREND_KEYS = (
    "new_customers",
    "won_customers",
    "conversion_rate",
    "churn_rate",
    "followup_count",
    "avg_followup_cycle",
    "followup_compliance_24h",
    "satisfaction_avg",
)
