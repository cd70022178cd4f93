# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, models

MAX_PDF_ROWS = 2000


class ReportFollowupLog(models.AbstractModel):
    _name = "report.crm_customer_template_reports.report_followup_log"
    _description = "Customer Follow-up Log Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        common = self.env["crm.customer.report.common"]
        kpis = self.env["crm.customer.kpi"].get_kpis(common._report_filters(docids, data))
        tile = kpis["tiles"]["followup_count"]
        followups = self.env["crm.customer.followup"].search(
            tile["domain"], order="followup_date, id", limit=MAX_PDF_ROWS
        )
        rows = [
            {
                "date": common._format_dt(followup.followup_date),
                "code": followup.code,
                "customer": followup.customer_id.display_name,
                "method": followup.method_id.display_name,
                "user": followup.user_id.display_name,
                "content": followup.content or "",
                "next_plan": followup.next_plan or "",
            }
            for followup in followups
        ]
        return {
            "doc_ids": docids,
            "doc_model": "crm.customer.report.wizard",
            "docs": self.env["crm.customer.report.wizard"].browse(docids),
            "kpis": kpis,
            "total": tile["value"],
            "rows": rows,
            "truncated": tile["value"] > len(rows),
            "by_user": kpis["breakdowns"]["followups_by_user"],
            "by_method": kpis["breakdowns"]["followups_by_method"],
            "avg_cycle": self.env["crm.customer.kpi"]._format_value(kpis["tiles"]["avg_followup_cycle"]),
            "compliance": self.env["crm.customer.kpi"]._format_value(
                kpis["tiles"]["followup_compliance_24h"]
            ),
            **common._heading(_("Follow-up Log"), kpis["filter"]["text"]),
        }
