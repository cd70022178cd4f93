# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Import templates (.xlsx) built on demand, so that the drop-down lists carry
the dictionaries as they are now. Served by the controller
``/crm_customer_template/import_template/<kind>`` and offered by Odoo's own
import screen through ``get_import_templates``."""

import io

from odoo import api, models
from odoo.exceptions import AccessError

from .crm_customer_import_engine import PROFILES

TEMPLATE_ROWS = 5000
TEMPLATE_URL = "/crm_customer_template/import_template/%s"


class CrmCustomerImportTemplate(models.AbstractModel):
    _name = "crm.customer.import.template"
    _description = "Customer Import Template"

    @api.model
    def _list_values(self, column, model):
        """Values offered in the drop-down of ``column`` (user's language)."""
        if column.ctype == "selection":
            return [label for _value, label in
                    model._fields[column.fname]._description_selection(self.env)]
        if column.ctype in ("dictionary", "tags"):
            return self.env[column.comodel].search([]).mapped("name")
        if column.ctype == "user":
            if self.env.user.has_group("crm_customer_template.group_crm_customer_manager"):
                return self.env["res.users"].search([("share", "=", False)]).mapped("login")
            return [self.env.user.login]
        if column.ctype == "province":
            return self.env["res.country.state"].search(
                [("country_id", "=", self.env.ref("base.cn").id)]
            ).mapped("name")
        return []

    @api.model
    def _hint(self, column):
        env = self.env
        hints = {
            "date": env._("Date: 2024-05-01, 2024/5/1 or 2024年5月1日"),
            "datetime": env._("Date and time: 2024-05-01 14:30 or 2024年5月1日 14:30"),
            "phone": env._("Mobile 13800138000 or landline 010-12345678; +86, spaces and "
                           "dashes are accepted"),
            "upper": env._("18 characters, check digit verified (GB 32100-2015)"),
            "key": env._("Code of an existing customer, to update it; leave empty for new "
                         "customers"),
            "customer_code": env._("Code of the customer (C…)"),
            "customer_credit_code": env._("Or the customer's credit code"),
            "tags": env._("Several tags separated by commas"),
            "user": env._("Login of the salesperson; empty = you"),
            "integer": env._("Whole number"),
            "float": env._("Number"),
            "email": env._("Email address"),
        }
        return hints.get(column.ctype) or (
            env._("Choose from the list") if column.ctype in ("selection", "dictionary",
                                                             "province", "country") else ""
        )

    @api.model
    def _build(self, kind):
        """Return the bytes of the .xlsx template of ``kind``."""
        import xlsxwriter  # noqa: PLC0415

        if not self.env.user.has_group("crm_customer_template.group_crm_customer_user"):
            raise AccessError(self.env._("You are not allowed to import customers."))
        profile = PROFILES[kind]
        model = self.env[profile["model"]]
        columns = profile["columns"]
        output = io.BytesIO()
        book = xlsxwriter.Workbook(output, {"in_memory": True, "strings_to_formulas": False})
        sheet = book.add_worksheet(self.env._("Data"))
        lists = book.add_worksheet("Lists")
        help_sheet = book.add_worksheet(self.env._("Instructions"))
        required_fmt = book.add_format(
            {"bold": True, "font_color": "#FFFFFF", "bg_color": "#C00000", "border": 1}
        )
        optional_fmt = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        text_fmt = book.add_format({"num_format": "@"})
        for col, column in enumerate(columns):
            sheet.write_string(0, col, column.header(),
                               required_fmt if column.required else optional_fmt)
            sheet.set_column(col, col, max(14, len(column.header()) + 4),
                             text_fmt if column.ctype not in ("integer", "float") else None)
            if column.required:
                sheet.write_comment(0, col, self.env._("Required / 必填"))
            values = self._list_values(column, model)
            if values:
                lists.write_string(0, col, column.header())
                for rowx, value in enumerate(values, 1):
                    lists.write_string(rowx, col, value)
                col_letter = xlsxwriter.utility.xl_col_to_name(col)
                sheet.data_validation(1, col, TEMPLATE_ROWS, col, {
                    "validate": "list",
                    "source": f"=Lists!${col_letter}$2:${col_letter}${len(values) + 1}",
                    # the other language (or a tag list) may still be typed in
                    "error_type": "warning",
                    "ignore_blank": True,
                })
        sheet.freeze_panes(1, 0)
        lists.hide()
        help_sheet.write_row(0, 0, [self.env._("Column"), self.env._("Required"),
                                    self.env._("Format")], optional_fmt)
        for rowx, column in enumerate(columns, 1):
            help_sheet.write_row(rowx, 0, [
                column.header(),
                self.env._("Yes / 是") if column.required else "",
                self._hint(column),
            ])
        help_sheet.set_column(0, 0, 36)
        help_sheet.set_column(2, 2, 70)
        book.close()
        return output.getvalue()

    @api.model
    def _file_name(self, kind):
        return {"customer": "customer_import_template.xlsx",
                "followup": "followup_import_template.xlsx"}[kind]


class CrmCustomer(models.Model):
    _inherit = "crm.customer"

    @api.model
    def get_import_templates(self):
        return [{"label": self.env._("Import Template for Customers"),
                 "template": TEMPLATE_URL % "customer"}]


class CrmCustomerFollowup(models.Model):
    _inherit = "crm.customer.followup"

    @api.model
    def get_import_templates(self):
        return [{"label": self.env._("Import Template for Follow-ups"),
                 "template": TEMPLATE_URL % "followup"}]
