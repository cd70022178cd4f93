# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.exceptions import UserError


class CrmCustomerErase(models.TransientModel):
    _name = "crm.customer.erase"
    _description = "Erase Customer Personal Data"

    customer_ids = fields.Many2many("crm.customer", string="Customers", required=True)
    request_reference = fields.Char(
        string="Request Reference",
        required=True,
        help="Reference of the data subject's erasure request (PIPL art. 47).",
    )
    confirm = fields.Boolean(
        string="I understand that this cannot be undone",
    )

    def action_erase(self):
        self.ensure_one()
        if not self.confirm:
            raise UserError(self.env._("Tick the confirmation to erase personal data."))
        if not (self.request_reference or "").strip():
            raise UserError(self.env._("Give the reference of the erasure request."))
        self.env["crm.customer.erasure"]._erase_customers(
            self.customer_ids, self.request_reference.strip()
        )
        return {"type": "ir.actions.act_window_close"}
