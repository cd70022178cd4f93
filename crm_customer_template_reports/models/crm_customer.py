# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_index

from .crm_customer_kpi_index import create_covering_index


class CrmCustomer(models.Model):
    _inherit = "crm.customer"

    # Maintained in SQL by crm.customer.followup (see _crm_update_gaps) for the
    # 24-hour follow-up compliance of the KPI service.
    first_followup_date = fields.Datetime(
        string="First Follow-up", readonly=True, copy=False,
        help="Date of the customer's first follow-up.",
    )

    def _auto_init(self):
        fill = not column_exists(self.env.cr, self._table, "first_followup_date")
        res = super()._auto_init()
        # The KPI service filters new customers by creation date and counts
        # forgotten customers by their last follow-up (or creation) date.
        # Covering: the KPI queries on customers (and the salesperson's
        # record rule) read only these columns (index-only scans).
        create_covering_index(
            self.env.cr, "crm_customer_kpi_index", self._table,
            ["company_id", "create_date"],
            ["id", "active", "user_id", "team_id", "state", "grade", "industry_id", "source_id",
             "in_pool", "pool_id", "first_followup_date", "last_followup_date"],
            replaces=["crm_customer_company_create_date_index"],
        )
        # the archived customers of a period (the funnel leaves them out);
        # the condition is the ORM's for ("active", "=", False)
        create_index(
            self.env.cr, "crm_customer_archived_create_date_index", self._table,
            ["company_id", "create_date"], where="active IS NULL OR NOT active",
        )
        # the owner of a set of customers by id (won customers per
        # salesperson), index-only
        create_covering_index(
            self.env.cr, "crm_customer_id_owner_index", self._table, ["id"], ["user_id"],
        )
        # the child records' rule "customer_id.user_id = user": its ids, index-only
        create_index(self.env.cr, "crm_customer_user_id_id_index", self._table, ["user_id", "id"])
        create_index(
            self.env.cr, "crm_customer_forgotten_index", self._table,
            ["company_id", "(coalesce(last_followup_date, create_date))"],
            where="active AND state <> 'lost'",
        )
        if fill and column_exists(self.env.cr, "crm_customer_followup", "id"):
            self.env.cr.execute(SQL(
                """UPDATE crm_customer c SET first_followup_date = m.first_date
                     FROM (SELECT customer_id, min(followup_date) AS first_date
                             FROM crm_customer_followup GROUP BY customer_id) m
                    WHERE c.id = m.customer_id"""
            ))
        return res
