# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class CrmCustomerWin(models.TransientModel):
    _name = "crm.customer.win"
    _description = "Mark Customers as Won"

    line_ids = fields.One2many("crm.customer.win.line", "wizard_id", string="Deals")

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        customer_ids = self.env.context.get("default_customer_ids") or (
            self.env.context.get("active_model") == "crm.customer"
            and self.env.context.get("active_ids")
        )
        if "line_ids" in fields_list and customer_ids:
            today = fields.Date.context_today(self)
            customers = self.env["crm.customer"].browse(customer_ids).exists()
            res["line_ids"] = [
                fields.Command.create({"customer_id": customer.id, "date_won": today})
                for customer in customers
            ]
        return res

    def action_apply(self):
        self.ensure_one()
        if not self.line_ids:
            raise UserError(_("Select at least one customer to mark as won."))
        self.line_ids.customer_id._set_won(
            {line.customer_id.id: (line.contract_number, line.date_won) for line in self.line_ids}
        )
        return {"type": "ir.actions.act_window_close"}


class CrmCustomerWinLine(models.TransientModel):
    _name = "crm.customer.win.line"
    _description = "Won Customer Deal"

    wizard_id = fields.Many2one("crm.customer.win", required=True, ondelete="cascade")
    customer_id = fields.Many2one("crm.customer", string="Customer", required=True)
    contract_number = fields.Char(string="Contract Number", required=True)
    date_won = fields.Date(string="Deal Date", required=True, default=fields.Date.context_today)
