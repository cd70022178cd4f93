# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError


class CrmCustomerPoolExtension(models.Model):
    """An owner's request to keep a customer longer before it returns to the pool."""

    _name = "crm.customer.pool.extension"
    _description = "Pool Return Extension Request"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    customer_id = fields.Many2one("crm.customer", required=True, ondelete="cascade", index=True, readonly=True)
    pool_id = fields.Many2one(related="customer_id.pool_id", store=True, index=True)
    company_id = fields.Many2one(related="customer_id.company_id", store=True, index=True)
    user_id = fields.Many2one(
        "res.users", string="Requested By", required=True, readonly=True, default=lambda self: self.env.user
    )
    days = fields.Integer(string="Extra Days", required=True, default=15)
    reason = fields.Text(required=True)
    state = fields.Selection(
        [("pending", "Pending"), ("approved", "Approved"), ("refused", "Refused")],
        required=True, default="pending", readonly=True, tracking=True, index=True,
    )  # fmt: skip
    decided_by_id = fields.Many2one("res.users", string="Decided By", readonly=True)
    extension_until = fields.Date(string="Extended Until", readonly=True)

    _sql_constraints = [("days_positive", "CHECK(days > 0)", "The extension must be at least one day.")]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals["user_id"] = self.env.uid
            vals["state"] = "pending"
        requests = super().create(vals_list)
        for request in requests:
            customer = request.customer_id
            if customer.user_id != self.env.user:
                raise UserError(_("Only the owner of %(customer)s can ask for an extension.", customer=customer.display_name))
            if customer.in_pool:
                raise UserError(_("%(customer)s is already in the pool.", customer=customer.display_name))
            if not (request.reason or "").strip():
                raise UserError(_("Give a reason for the extension."))
        # tell the pool managers
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        activities = []
        for request in requests.sudo():
            for manager in request.pool_id.manager_ids:
                activities.append({
                    "activity_type_id": activity_type.id,
                    "res_model_id": self.env["ir.model"]._get_id(self._name),
                    "res_id": request.id,
                    "user_id": manager.id,
                    "summary": _("Extension request for %(customer)s", customer=request.customer_id.display_name),
                })  # fmt: skip
        self.env["mail.activity"].sudo().create(activities)
        return requests

    def write(self, vals):
        if vals.keys() - {"days", "reason"} or any(request.state != "pending" for request in self):
            if not self.env.su:
                raise UserError(_("An extension request is decided with Approve or Refuse."))
        return super().write(vals)

    def _check_can_decide(self):
        for request in self:
            if request.state != "pending":
                raise UserError(_("This request has already been decided."))
            if not request.customer_id.sudo().pool_id._is_pool_manager():
                raise AccessError(_("Only a manager of the pool can decide on an extension request."))

    def action_approve(self):
        self._check_can_decide()
        today = fields.Date.context_today(self)
        for request in self:
            customer = request.customer_id.sudo()
            base = max(customer.extension_until or today, today)
            until = base + timedelta(days=request.days)
            customer._pool_write({"extension_until": until, "release_warned": False})
            request.sudo().write({"state": "approved", "decided_by_id": self.env.uid, "extension_until": until})
            self.env["crm.customer.ledger"]._log(
                customer, "pool", pool_move="extension", user_from_id=customer.user_id.id,
                user_to_id=customer.user_id.id, evidence=_("Until %(date)s: %(reason)s", date=until, reason=request.reason)[:255],
            )  # fmt: skip
        self.sudo().activity_ids.unlink()
        return True

    def action_refuse(self):
        self._check_can_decide()
        self.sudo().write({"state": "refused", "decided_by_id": self.env.uid})
        self.sudo().activity_ids.unlink()
        return True
