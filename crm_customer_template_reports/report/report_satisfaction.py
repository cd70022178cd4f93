# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, models

MAX_PDF_ROWS = 2000


class ReportSatisfaction(models.AbstractModel):
    _name = "report.crm_customer_template_reports.report_satisfaction"
    _description = "Customer Satisfaction Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        common = self.env["crm.customer.report.common"]
        Kpi = self.env["crm.customer.kpi"]
        kpis = Kpi.get_kpis(common._report_filters(docids, data))
        tile = kpis["tiles"]["feedback_count"]
        distribution = kpis["breakdowns"]["satisfaction"]
        rated = sum(seg["value"] for seg in distribution)
        for seg in distribution:
            seg["share"] = round(100.0 * seg["value"] / rated, 1) if rated else 0.0
        feedbacks = self.env["crm.customer.feedback"].search(
            tile["domain"], order="feedback_date, id", limit=MAX_PDF_ROWS
        )
        rows = [
            {
                "date": common._format_dt(feedback.feedback_date),
                "code": feedback.code,
                "customer": feedback.customer_id.display_name,
                "type": feedback.feedback_type_id.display_name,
                "satisfaction": feedback.satisfaction or "",
                "description": feedback.description or "",
                "result": feedback.result or "",
            }
            for feedback in feedbacks
        ]
        return {
            "doc_ids": docids,
            "doc_model": "crm.customer.report.wizard",
            "docs": self.env["crm.customer.report.wizard"].browse(docids),
            "kpis": kpis,
            "total": tile["value"],
            "rated": rated,
            "average": Kpi._format_value(kpis["tiles"]["satisfaction_avg"]),
            "distribution": distribution,
            "by_type": kpis["breakdowns"]["feedback_by_type"],
            "rows": rows,
            "truncated": tile["value"] > len(rows),
            **common._heading(_("Customer Satisfaction Report"), kpis["filter"]["text"]),
        }
