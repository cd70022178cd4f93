# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, fields, models
from odoo.exceptions import UserError


class CrmCustomerAssign(models.TransientModel):
    _name = "crm.customer.assign"
    _description = "Assign or Transfer Customers"

    customer_ids = fields.Many2many("crm.customer", string="Customers")
    user_id = fields.Many2one(
        "res.users", string="New Owner", required=True, domain="[('share', '=', False)]"
    )
    reason = fields.Char(required=True)

    def action_apply(self):
        self.ensure_one()
        if not self.customer_ids:
            raise UserError(_("Select at least one customer to assign."))
        self.customer_ids._pool_assign(self.user_id, self.reason)
        return {"type": "ir.actions.act_window_close"}
