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

from odoo import models
from odoo.tools import SQL
from odoo.tools.sql import index_exists


def create_covering_index(cr, name, table, keys, include, where=None, replaces=()):
    """Create ``name`` on ``table`` (``keys``) INCLUDE (``include``) unless it
    exists, dropping the indexes it ``replaces`` (same leading keys)."""
    for old in replaces:
        cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(old)))
    if index_exists(cr, name):
        return
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

    def _auto_init(self):
        res = super()._auto_init()
        # won/lost moves, funnel, active customers at each month start
        create_covering_index(
            self.env.cr, "crm_customer_ledger_kpi_index", self._table,
            ["company_id", "kind", "state_to", "date"], ["customer_id", "lost_reason_id"],
        )
        # each customer's moves in order (the window of the churn figures)
        create_covering_index(
            self.env.cr, "crm_customer_ledger_kpi_history_index", self._table,
            ["company_id", "kind", "customer_id", "date", "id"], ["state_to"],
        )
        return res


class CrmCustomerFeedback(models.Model):
    _inherit = "crm.customer.feedback"

    def _auto_init(self):
        res = super()._auto_init()
        create_covering_index(
            self.env.cr, "crm_customer_feedback_kpi_index", self._table,
            ["company_id", "feedback_date"], ["customer_id", "satisfaction", "feedback_type_id"],
        )
        return res
