# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Covering indexes of the KPI service.

Every query of :meth:`crm.customer.kpi.get_kpis` filters a table by its
company and one date column (the period), plus, for a salesperson, the
record rule's semi-join on the customer's owner. Each index below has that
company and date as keys and INCLUDEs every other column the KPI queries
(and the record rules) read, so PostgreSQL answers them with index-only
scans instead of reading the wide rows (customers carry encrypted contact
data). Index-only scans need the visibility map that autovacuum maintains.
"""

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column, index_exists


def create_covering_index(cr, name, table, keys, include, where=None, replaces=(),
                          replaces_if_include_differs=False):
    """Create ``name`` on ``table`` (``keys``) INCLUDE (``include``) unless it
    exists, dropping the indexes it ``replaces`` (same leading keys), and
    itself when it exists with other INCLUDEd columns and
    ``replaces_if_include_differs``."""
    for old in replaces:
        cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(old)))
    if index_exists(cr, name):
        if not replaces_if_include_differs:
            return
        cr.execute(SQL("SELECT indexdef FROM pg_indexes WHERE indexname = %s", name))
        definition = cr.fetchone()[0]
        if all(column in definition for column in include):
            return
        cr.execute(SQL("DROP INDEX %s", SQL.identifier(name)))
    cr.execute(SQL(
        "CREATE INDEX %s ON %s (%s) INCLUDE (%s)%s",
        SQL.identifier(name),
        SQL.identifier(table),
        SQL(", ").join(SQL.identifier(key) for key in keys),
        SQL(", ").join(SQL.identifier(column) for column in include),
        SQL(" WHERE %s", SQL(where)) if where else SQL(),
    ))


class CrmCustomerLedger(models.Model):
    _inherit = "crm.customer.ledger"

    # the customer's creation, copied on each move: the days from creation
    # to won are read from the moves alone (a merge re-attaching moves to
    # another customer refreshes it, see _crm_update_customer_copies)
    customer_create_date = fields.Datetime(
        related="customer_id.create_date", store=True, string="Customer Created On",
    )
    # Maintained in SQL, like the follow-ups' gap_days: the date of the
    # customer's next status move, so that "lost at a date" needs no window
    # over the whole history (a lost move counts from its date until this).
    next_state_date = fields.Datetime(
        string="Next Status Change", readonly=True, copy=False,
        help="Date of the customer's next status change; empty for the latest one.",
    )

    def _auto_init(self):
        cr = self.env.cr
        fill_next = not column_exists(cr, self._table, "next_state_date")
        if not column_exists(cr, self._table, "customer_create_date"):
            # filled in one UPDATE instead of the ORM's recomputation
            create_column(cr, self._table, "customer_create_date", "timestamp")
            cr.execute(SQL(
                """UPDATE crm_customer_ledger l SET customer_create_date = c.create_date
                     FROM crm_customer c WHERE c.id = l.customer_id"""
            ))
        res = super()._auto_init()
        # won/lost moves, funnel, active customers at each month start
        create_covering_index(
            cr, "crm_customer_ledger_kpi_index", self._table,
            ["company_id", "kind", "state_to", "date"],
            ["customer_id", "lost_reason_id", "customer_create_date"],
            replaces_if_include_differs=True,
        )
        # the funnel: the moves of the customers created in a period
        create_covering_index(
            cr, "crm_customer_ledger_kpi_cohort_index", self._table,
            ["company_id", "customer_create_date"], ["state_to", "date", "customer_id"],
            where="kind = 'state'",
        )
        # lost customers at each month start: the lost moves and their end
        create_covering_index(
            cr, "crm_customer_ledger_kpi_lost_index", self._table,
            ["company_id", "kind", "state_to", "date"], ["customer_id", "next_state_date"],
            where="kind = 'state' AND state_to = 'lost'",
        )
        if fill_next:
            self._crm_update_next_moves()
        # each customer's moves in order (next_state_date)
        create_covering_index(
            self.env.cr, "crm_customer_ledger_kpi_history_index", self._table,
            ["company_id", "kind", "customer_id", "date", "id"], ["state_to"],
        )
        return res

    @api.model_create_multi
    def create(self, vals_list):
        moves = super().create(vals_list)
        changes = moves.filtered(lambda move: move.kind == "state")
        if changes:
            self._crm_update_next_moves(changes.customer_id.ids)
        return moves

    @api.model
    def _crm_update_customer_copies(self, customer_ids):
        """After moves were re-attached to ``customer_ids`` in SQL (a merge):
        their copies of the customer's company and creation, then their
        order (``next_state_date``)."""
        if not customer_ids:
            return
        self.env.flush_all()
        self.env.cr.execute(SQL(
            """UPDATE crm_customer_ledger l
                  SET customer_create_date = c.create_date, company_id = c.company_id
                 FROM crm_customer c
                WHERE c.id = l.customer_id AND l.customer_id IN %s
                  AND (l.customer_create_date IS DISTINCT FROM c.create_date
                       OR l.company_id IS DISTINCT FROM c.company_id)""",
            tuple(customer_ids),
        ))
        self.invalidate_model(["customer_create_date", "company_id"])
        self._crm_update_next_moves(customer_ids)

    @api.model
    def _crm_update_next_moves(self, customer_ids=None):
        """Set ``next_state_date`` of the status moves of ``customer_ids``
        (all customers when None), in one UPDATE touching only the rows
        whose value changes."""
        if customer_ids is not None and not customer_ids:
            return
        self.env.flush_all()
        where = SQL("TRUE") if customer_ids is None else SQL("customer_id IN %s", tuple(customer_ids))
        if customer_ids is not None:
            # concurrent moves of one customer: one transaction at a time
            self.env.cr.execute(SQL(
                "SELECT id FROM crm_customer WHERE id IN %s ORDER BY id FOR NO KEY UPDATE",
                tuple(customer_ids),
            ))
        self.env.cr.execute(SQL(
            """UPDATE crm_customer_ledger l
                  SET next_state_date = n.next_date
                 FROM (SELECT id, LEAD(date) OVER (PARTITION BY customer_id ORDER BY date, id)
                              AS next_date
                         FROM crm_customer_ledger WHERE kind = 'state' AND %s) n
                WHERE l.id = n.id AND l.next_state_date IS DISTINCT FROM n.next_date""",
            where,
        ))
        self.invalidate_model(["next_state_date"])


class CrmCustomerFeedback(models.Model):
    _inherit = "crm.customer.feedback"

    def _auto_init(self):
        res = super()._auto_init()
        create_covering_index(
            self.env.cr, "crm_customer_feedback_kpi_index", self._table,
            ["company_id", "feedback_date"], ["customer_id", "satisfaction", "feedback_type_id"],
        )
        return res
