# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models
from odoo.tools import create_index

from .crm_customer_kpi_index import create_covering_index


class CrmCustomerNeed(models.Model):
    _inherit = "crm.customer.need"

    def _auto_init(self):
        res = super()._auto_init()
        create_index(self.env.cr, "crm_customer_need_create_date_index", self._table, ["create_date"])
        create_index(
            self.env.cr, "crm_customer_need_date_done_index", self._table, ["date_done"],
            where="date_done IS NOT NULL",
        )
        # the KPI queries' period scans, index-only (see crm_customer_kpi_index)
        create_covering_index(
            self.env.cr, "crm_customer_need_kpi_create_index", self._table,
            ["company_id", "create_date"], ["customer_id", "state", "priority"],
        )
        create_covering_index(
            self.env.cr, "crm_customer_need_kpi_done_index", self._table,
            ["company_id", "date_done"], ["customer_id", "create_date"],
            where="date_done IS NOT NULL",
        )
        return res
