# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

REPORTS = {
    "kpi": "action_report_crm_customer_kpi",
    "followup": "action_report_crm_customer_followup_log",
    "satisfaction": "action_report_crm_customer_satisfaction",
}
XLSX_REPORTS = {
    "kpi": "action_report_crm_customer_kpi_xlsx",
    "followup": "action_report_crm_customer_followup_log_xlsx",
    "satisfaction": "action_report_crm_customer_satisfaction_xlsx",
}


class CrmCustomerReportWizard(models.TransientModel):
    _name = "crm.customer.report.wizard"
    _description = "Customer Report Filter"

    report = fields.Selection(
        [
            ("kpi", "KPI summary"),
            ("followup", "Follow-up log"),
            ("satisfaction", "Satisfaction report"),
        ],
        required=True,
        default="kpi",
    )
    preset = fields.Selection(
        [
            ("this_month", "This month"),
            ("this_quarter", "This quarter"),
            ("this_year", "This year"),
            ("last_12_months", "Last 12 months"),
            ("custom", "Custom period"),
        ],
        string="Period",
        required=True,
        default="this_month",
    )
    date_from = fields.Date(string="From")
    date_to = fields.Date(string="To")
    team_id = fields.Many2one("crm.team", string="Sales Team")
    user_id = fields.Many2one("res.users", string="Salesperson", domain=[("share", "=", False)])
    grade = fields.Selection(
        selection=lambda self: self.env["crm.customer"]._fields["grade"].selection,
        string="Grade",
    )
    industry_id = fields.Many2one("res.partner.industry", string="Industry")
    source_id = fields.Many2one("crm.customer.source", string="Source")

    @api.constrains("preset", "date_from", "date_to")
    def _check_period(self):
        for wizard in self:
            if wizard.preset == "custom" and not (wizard.date_from and wizard.date_to):
                raise UserError(_("A custom period needs both a start date and an end date."))
            if wizard.date_from and wizard.date_to and wizard.date_from > wizard.date_to:
                raise UserError(_("The period starts after it ends."))

    def _get_filters(self):
        self.ensure_one()
        return {
            "preset": self.preset,
            "date_from": fields.Date.to_string(self.date_from) if self.preset == "custom" else False,
            "date_to": fields.Date.to_string(self.date_to) if self.preset == "custom" else False,
            "team_id": self.team_id.id,
            "user_id": self.user_id.id,
            "grade": self.grade or False,
            "industry_id": self.industry_id.id,
            "source_id": self.source_id.id,
        }

    def action_print_pdf(self):
        self.ensure_one()
        report = self.env.ref(f"crm_customer_template_reports.{REPORTS[self.report]}")
        return report.report_action(self, data={"filters": self._get_filters()})

    def action_export_xlsx(self):
        self.ensure_one()
        report = self.env.ref(f"crm_customer_template_reports.{XLSX_REPORTS[self.report]}")
        return report.report_action(self, data={"filters": self._get_filters()})
