# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_index

from .crm_customer_kpi_index import create_covering_index


class CrmCustomerFollowup(models.Model):
    _inherit = "crm.customer.followup"

    # Maintained in SQL for the KPI service (mean follow-up cycle): the gap to
    # the previous follow-up of the same customer, so that the mean over a
    # period is a plain aggregate instead of a window over the whole history.
    gap_days = fields.Float(
        string="Days Since Previous Follow-up",
        digits=(16, 4),
        readonly=True,
        copy=False,
        aggregator="avg",
        help="Days between this follow-up and the previous one of the same customer; "
        "empty for a customer's first follow-up.",
    )

    def _auto_init(self):
        fill = not column_exists(self.env.cr, self._table, "gap_days")
        res = super()._auto_init()
        # Gaps between consecutive follow-ups of a customer and the 24-hour
        # check read follow-ups by (customer, date).
        create_index(
            self.env.cr, "crm_customer_followup_customer_date_index", self._table,
            ["customer_id", "followup_date", "id"],
        )
        # the KPI queries' period scan, index-only (see crm_customer_kpi_index)
        create_covering_index(
            self.env.cr, "crm_customer_followup_kpi_index", self._table,
            ["company_id", "followup_date"], ["customer_id", "user_id", "method_id", "gap_days"],
            replaces=["crm_customer_followup_company_date_index"],
        )
        if fill:
            self._crm_update_gaps()
        return res

    @api.model_create_multi
    def create(self, vals_list):
        followups = super().create(vals_list)
        self._crm_update_gaps(followups.customer_id.ids)
        return followups

    def write(self, vals):
        moved = {"followup_date", "customer_id"} & vals.keys()
        customer_ids = set(self.customer_id.ids) if moved else set()
        res = super().write(vals)
        if moved:
            self._crm_update_gaps(list(customer_ids | set(self.customer_id.ids)))
        return res

    def unlink(self):
        # not a check: keeps the neighbours' gaps right after a deletion
        customer_ids = self.customer_id.ids
        res = super().unlink()
        self._crm_update_gaps(customer_ids)
        return res

    @api.model
    def _crm_update_gaps(self, customer_ids=None):
        """Recompute ``gap_days`` of the follow-ups of ``customer_ids`` (all
        customers when None) and the customers' ``first_followup_date``, in
        two UPDATEs that only touch rows whose value changes."""
        if customer_ids is not None and not customer_ids:
            return
        self.env.flush_all()
        where = SQL("TRUE") if customer_ids is None else SQL("customer_id IN %s", tuple(customer_ids))
        self.env.cr.execute(SQL(
            """UPDATE crm_customer_followup f
                  SET gap_days = g.gap
                 FROM (SELECT id,
                              extract(epoch FROM followup_date - LAG(followup_date) OVER (
                                  PARTITION BY customer_id ORDER BY followup_date, id)) / 86400.0
                              AS gap
                         FROM crm_customer_followup WHERE %s) g
                WHERE f.id = g.id AND f.gap_days IS DISTINCT FROM g.gap""",
            where,
        ))
        # one grouped scan of the follow-ups (no lookup per customer: a bulk
        # load calls this before it re-creates the indexes)
        self.env.cr.execute(SQL(
            """UPDATE crm_customer c
                  SET first_followup_date = m.first_date
                 FROM (SELECT c2.id, f.first_date
                         FROM crm_customer c2
                         LEFT JOIN (SELECT customer_id, min(followup_date) AS first_date
                                      FROM crm_customer_followup WHERE %s
                                     GROUP BY customer_id) f ON f.customer_id = c2.id
                        WHERE %s) m
                WHERE c.id = m.id AND c.first_followup_date IS DISTINCT FROM m.first_date""",
            where,
            SQL("TRUE") if customer_ids is None else SQL("c2.id IN %s", tuple(customer_ids)),
        ))
        self.invalidate_model(["gap_days"])
        self.env["crm.customer"].invalidate_model(["first_followup_date"])

