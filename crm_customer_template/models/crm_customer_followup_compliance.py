# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models


class CrmCustomerFollowup(models.Model):
    _inherit = "crm.customer.followup"

    logged_date = fields.Datetime(
        string="Logged On",
        readonly=True,
        copy=False,
        index=True,
        help="When the follow-up was entered (set by the server).",
    )
    is_late = fields.Boolean(
        string="Logged Late",
        compute="_compute_is_late",
        store=True,
        precompute=True,
        index=True,
        help="Logged more than the configured number of hours after the follow-up took place.",
    )
    entry_compliance = fields.Float(
        string="Entry Compliance (%)",
        compute="_compute_is_late",
        store=True,
        precompute=True,
        aggregator="avg",
        help="100 for a follow-up logged in time, 0 for a late one: grouped by "
        "salesperson, the average is the share of follow-ups logged in time.",
    )

    @api.depends("followup_date", "logged_date")
    def _compute_is_late(self):
        hours = self.env["res.config.settings"]._crm_customer_param("followup_entry_hours")
        deadline = timedelta(hours=hours)
        for followup in self:
            late = bool(followup.followup_date and followup.logged_date) and (
                followup.logged_date - followup.followup_date > deadline
            )
            followup.is_late = late
            followup.entry_compliance = 0.0 if late else 100.0

    @api.model_create_multi
    def create(self, vals_list):
        now = fields.Datetime.now()
        for vals in vals_list:
            vals["logged_date"] = now  # never taken from the client
        followups = super().create(vals_list)
        # a new follow-up ends the customer's "no follow-up" alert
        followups.customer_id._crm_clear_followup_alert()
        # the pool return clock restarts: a later return is warned again
        followups.customer_id.sudo().filtered("release_warned")._pool_write({"release_warned": False})
        return followups

    def write(self, vals):
        vals.pop("logged_date", None)
        return super().write(vals)
