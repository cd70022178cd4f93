# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Customers without a follow-up for N days (per grade): flag + owner activity."""
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.osv import expression
from odoo.tools import split_every

ALERT_BATCH = 1000


class CrmCustomer(models.Model):
    _inherit = "crm.customer"

    followup_alert = fields.Boolean(
        string="No Recent Follow-up",
        readonly=True,
        copy=False,
        index=True,
        help="Set by the daily check when the customer had no follow-up for the "
        "number of days configured for its grade.",
    )
    followup_alert_date = fields.Date(string="No Follow-up Since", readonly=True, copy=False)

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _crm_followup_alert_domain(self, now=None):
        """Customers (not lost) whose last follow-up, or creation when they have
        none, is older than the days configured for their grade."""
        now = now or fields.Datetime.now()
        settings = self.env["res.config.settings"]
        by_grade = []
        for grade in ("a", "b", "c", False):
            days = settings._crm_customer_param(f"no_followup_days_{grade or 'c'}")
            if days <= 0:
                continue
            cutoff = now - timedelta(days=days)
            by_grade.append(
                [
                    ("grade", "=", grade),
                    "|",
                    ("last_followup_date", "<", cutoff),
                    "&",
                    ("last_followup_date", "=", False),
                    ("create_date", "<", cutoff),
                ]
            )
        if not by_grade:
            return expression.FALSE_DOMAIN
        return expression.AND([[("state", "!=", "lost")], expression.OR(by_grade)])

    @api.model
    def _cron_followup_alert(self):
        """Daily: flag customers without a recent follow-up and give their
        owner an activity; unflag the others. Idempotent: a customer already
        flagged gets no second activity."""
        customers = self.sudo().with_context(active_test=True)
        due = customers.search(self._crm_followup_alert_domain())
        to_flag = due.filtered(lambda customer: not customer.followup_alert)
        to_clear = customers.search([("followup_alert", "=", True), ("id", "not in", due.ids)])
        today = fields.Date.context_today(self)
        done = 0
        for batch_ids in split_every(ALERT_BATCH, to_flag.ids):
            batch = customers.browse(batch_ids)
            batch.write({"followup_alert": True, "followup_alert_date": today})
            batch._crm_schedule_followup_reminders()
            done += len(batch)
            self.env["ir.cron"]._notify_progress(done=done, remaining=len(to_flag) - done)
        to_clear._crm_clear_followup_alert()
        return len(to_flag)

    def _crm_schedule_followup_reminders(self):
        activity_type = self.env.ref("crm_customer_template.mail_activity_type_crm_customer_no_followup")
        model_id = self.env["ir.model"]._get_id(self._name)
        today = fields.Date.context_today(self)
        vals_list = [
            {
                "activity_type_id": activity_type.id,
                "res_model_id": model_id,
                "res_id": customer.id,
                "user_id": customer.user_id.id,
                "date_deadline": today,
                "automated": True,
                "summary": _("No follow-up since %(date)s", date=customer.last_followup_date.date() if customer.last_followup_date else customer.create_date.date()),
            }
            for customer in self
            if customer.user_id
        ]
        return self.env["mail.activity"].sudo().create(vals_list)

    def _crm_clear_followup_alert(self):
        flagged = self.sudo().filtered("followup_alert")
        if not flagged:
            return
        flagged.write({"followup_alert": False, "followup_alert_date": False})
        activity_type = self.env.ref("crm_customer_template.mail_activity_type_crm_customer_no_followup")
        self.env["mail.activity"].sudo().search(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", flagged.ids),
                ("activity_type_id", "=", activity_type.id),
            ]
        ).unlink()
