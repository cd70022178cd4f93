# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..models.crm_customer_log import (
    DEFAULT_REVEAL_ALERT,
    DEFAULT_REVEAL_LIMIT,
    REVEAL_ALERT_PARAM,
    REVEAL_LIMIT_PARAM,
)

REVEAL_GROUP = "crm_customer_template.group_crm_customer_reveal"


class CrmCustomerReveal(models.TransientModel):
    """Reveal the full contact data of one customer, once, with a logged reason.

    The value is returned in a notification and never stored in this wizard's
    table.
    """

    _name = "crm.customer.reveal"
    _description = "Reveal Customer Contact Data"

    customer_id = fields.Many2one(
        "crm.customer", string="Customer", required=True, ondelete="cascade"
    )
    field_name = fields.Selection(
        [("phone", "Phone"), ("email", "Email")], string="Field", required=True, default="phone"
    )
    reason = fields.Text(string="Reason", required=True)
    remaining_today = fields.Integer(
        string="Reveals Left Today", compute="_compute_remaining_today"
    )

    @api.depends_context("uid")
    def _compute_remaining_today(self):
        log = self.env["crm.customer.log"]
        remaining = max(
            log._get_limit(REVEAL_LIMIT_PARAM, DEFAULT_REVEAL_LIMIT) - log._count_today("reveal"), 0
        )
        for wizard in self:
            wizard.remaining_today = remaining

    def action_reveal(self):
        self.ensure_one()
        if not self.env.user.has_group(REVEAL_GROUP):
            raise AccessError(self.env._("You do not have the right to reveal contact data."))
        if not (self.reason or "").strip():
            raise UserError(self.env._("Give the reason why you need the full contact data."))
        customer = self.customer_id
        # the caller must be able to read the customer itself
        customer.check_access("read")
        log = self.env["crm.customer.log"]
        limit = log._get_limit(REVEAL_LIMIT_PARAM, DEFAULT_REVEAL_LIMIT)
        if log._count_today("reveal") >= limit:
            raise UserError(
                self.env._(
                    "You have reached today's limit of %(limit)s reveals of contact data.",
                    limit=limit,
                )
            )
        value = customer.sudo()[self.field_name]
        log._log("reveal", customer, field_name=self.field_name, reason=self.reason.strip())
        log._check_alert("reveal", REVEAL_ALERT_PARAM, DEFAULT_REVEAL_ALERT)
        label = dict(self._fields["field_name"]._description_selection(self.env))[self.field_name]
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._(
                    "%(field)s of %(customer)s", field=label, customer=customer.display_name
                ),
                "message": value or self.env._("(empty)"),
                "sticky": True,
                "type": "warning",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
