# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Lifecycle stage (new / active / silent / churned) and value score, both
stored and recomputed by one daily cron."""
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL, split_every

from .crm_customer_ledger import LIFECYCLE_STAGES

GRADE_POINTS = {"a": 100.0, "b": 60.0, "c": 30.0}
FREQUENCY_WINDOW_DAYS = 90
FREQUENCY_FULL = 6  # follow-ups in the window that earn the full frequency points


class CrmCustomer(models.Model):
    _inherit = "crm.customer"

    lifecycle_stage = fields.Selection(
        LIFECYCLE_STAGES, string="Lifecycle Stage", default="new", readonly=True, copy=False, index=True,
        help="Recomputed daily: New (recently created), Active (recent follow-up), Silent, Churned (long "
        "without follow-up, or lost).",
    )  # fmt: skip
    lifecycle_stage_date = fields.Date(string="Stage Since", readonly=True, copy=False)
    value_score = fields.Float(
        string="Value Score", readonly=True, copy=False, digits=(5, 1), aggregator="avg", index=True,
        help="0-100, recomputed daily from the weighted grade, follow-up frequency (last 90 days), won "
        "status and average satisfaction.",
    )  # fmt: skip

    @api.model
    def _crm_stage_domains(self, now):
        param = self.env["res.config.settings"]._crm_customer_param
        new_cutoff = now - timedelta(days=param("stage_new_days"))
        active_cutoff = now - timedelta(days=param("stage_active_days"))
        churn_cutoff = now - timedelta(days=param("stage_churn_days"))
        return {
            "churned": ["|", ("state", "=", "lost"), "&", "&",
                        ("create_date", "<", churn_cutoff),
                        "|", ("last_followup_date", "=", False), ("last_followup_date", "<", churn_cutoff),
                        ("create_date", "<", new_cutoff)],
            "active": [("state", "!=", "lost"), ("last_followup_date", ">=", active_cutoff)],
            "new": [("state", "!=", "lost"), ("create_date", ">=", new_cutoff),
                    "|", ("last_followup_date", "=", False), ("last_followup_date", "<", active_cutoff)],
        }  # fmt: skip

    @api.model
    def _cron_segmentation(self):
        """Daily: store each customer's lifecycle stage (a ledger row per
        change, with its date) and value score. Idempotent: unchanged stages
        write nothing."""
        Customer = self.sudo().with_context(active_test=False)
        now = fields.Datetime.now()
        today = fields.Date.context_today(self)
        stage_of = {}
        for stage, domain in self._crm_stage_domains(now).items():  # churned, active, new; the rest silent
            for customer_id in Customer._search(domain):
                stage_of.setdefault(customer_id, stage)
        self.flush_model(["lifecycle_stage"])
        self.env.cr.execute(SQL("SELECT id, lifecycle_stage FROM crm_customer"))
        current = dict(self.env.cr.fetchall())
        changes = defaultdict(list)
        for customer_id, old in current.items():
            new = stage_of.get(customer_id, "silent")
            if new != old:
                changes[new].append(customer_id)
        for stage, ids in changes.items():
            for batch_ids in split_every(1000, ids):
                batch = Customer.browse(batch_ids)
                previous = {customer_id: current[customer_id] for customer_id in batch_ids}
                batch._pool_write({"lifecycle_stage": stage, "lifecycle_stage_date": today})
                self.env["crm.customer.ledger"]._log(batch, "lifecycle", stage_from=previous, stage_to=stage)
        self._crm_update_value_scores()
        return changes

    @api.model
    def _crm_update_value_scores(self):
        param = self.env["res.config.settings"]._crm_customer_param
        weights = {key: max(param(f"score_weight_{key}"), 0) for key in ("grade", "frequency", "won", "satisfaction")}
        total = sum(weights.values()) or 1
        since = fields.Datetime.now() - timedelta(days=FREQUENCY_WINDOW_DAYS)
        followups = dict(self.env["crm.customer.followup"].sudo()._read_group(
            [("followup_date", ">=", since)], ["customer_id"], ["__count"]))  # fmt: skip
        satisfaction = dict(self.env["crm.customer.feedback"].sudo()._read_group(
            [("satisfaction", ">", 0)], ["customer_id"], ["satisfaction:avg"]))  # fmt: skip
        followups = {customer.id: count for customer, count in followups.items()}
        satisfaction = {customer.id: avg for customer, avg in satisfaction.items()}
        self.env.cr.execute(SQL("SELECT id, grade, state FROM crm_customer"))
        rows = []
        for customer_id, grade, state in self.env.cr.fetchall():
            points = (
                weights["grade"] * GRADE_POINTS.get(grade, 0.0)
                + weights["frequency"] * min(followups.get(customer_id, 0) / FREQUENCY_FULL, 1.0) * 100
                + weights["won"] * (100.0 if state == "won" else 0.0)
                + weights["satisfaction"] * ((satisfaction.get(customer_id) or 0) / 5.0 * 100)
            )
            rows.append((customer_id, round(points / total, 1)))
        self.flush_model(["value_score"])
        for batch in split_every(5000, rows):
            self.env.cr.execute(SQL(
                """UPDATE crm_customer SET value_score = new.score
                     FROM (VALUES %s) AS new(id, score)
                    WHERE crm_customer.id = new.id AND crm_customer.value_score IS DISTINCT FROM new.score""",
                SQL(", ").join(SQL("(%s, %s::numeric)", cid, score) for cid, score in batch),
            ))  # fmt: skip
        self.invalidate_model(["value_score"])
