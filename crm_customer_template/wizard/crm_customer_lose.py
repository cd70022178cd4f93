# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, fields, models
from odoo.exceptions import UserError


class CrmCustomerLose(models.TransientModel):
    _name = "crm.customer.lose"
    _description = "Mark Customers as Lost"

    customer_ids = fields.Many2many("crm.customer", string="Customers")
    lost_reason_id = fields.Many2one("crm.customer.lost.reason", string="Lost Reason", required=True)
    note = fields.Char(string="Comment")

    def action_apply(self):
        self.ensure_one()
        if not self.customer_ids:
            raise UserError(_("Select at least one customer to mark as lost."))
        self.customer_ids.action_set_lost(lost_reason_id=self.lost_reason_id.id, note=self.note)
        return {"type": "ir.actions.act_window_close"}
