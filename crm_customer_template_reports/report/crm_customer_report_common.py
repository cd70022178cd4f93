# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

# Names the masked phone may have on crm.customer (access issue); the first
# one present wins. Without any, the report prints `phone` (which then carries
# no group restriction).
MASKED_PHONE_FIELDS = ("phone_masked", "phone_display", "masked_phone")


class CrmCustomerReportCommon(models.AbstractModel):
    """What every customer report shares: the page heading (company, title,
    filter, print date, all in the page body because wkhtmltopdf may drop
    header/footer HTML), the filter from the caller, and contact masking."""

    _name = "crm.customer.report.common"
    _description = "Customer Reports: Shared Helpers"

    @api.model
    def _report_filters(self, docids, data):
        """The filter dict of a report call: ``data['filters']`` (dashboard,
        RPC) or the wizard records printed."""
        if data and data.get("filters"):
            return data["filters"]
        if docids:
            wizard = self.env["crm.customer.report.wizard"].browse(docids).exists()
            if wizard:
                return wizard[0]._get_filters()
        return {}

    @api.model
    def _heading(self, title, filter_text=""):
        user_tz_now = fields.Datetime.context_timestamp(self, fields.Datetime.now())
        company = self.env.company
        return {
            "title": title,
            "company_name": company.name,
            "company": company,
            "filter_text": filter_text,
            "print_date": user_tz_now.strftime("%Y-%m-%d %H:%M"),
            "printed_by": self.env.user.name,
        }

    @api.model
    def _masked_field(self, fname):
        """The masked variant of a contact field (``<field>_masked``, access
        issue) when the customer model has one, else the field itself."""
        if fname == "phone":
            return self._phone_field()
        masked = f"{fname}_masked"
        return masked if masked in self.env["crm.customer"]._fields else fname

    @api.model
    def _phone_field(self):
        Customer = self.env["crm.customer"]
        for fname in MASKED_PHONE_FIELDS:
            if fname in Customer._fields:
                return fname
        return "phone"

    @api.model
    def _format_dt(self, value):
        if not value:
            return ""
        return fields.Datetime.context_timestamp(self, value).strftime("%Y-%m-%d %H:%M")
