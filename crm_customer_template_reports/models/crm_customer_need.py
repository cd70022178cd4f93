# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models
from odoo.tools import create_index


class CrmCustomerNeed(models.Model):
    _inherit = "crm.customer.need"

    def _auto_init(self):
        res = super()._auto_init()
        create_index(self.env.cr, "crm_customer_need_create_date_index", self._table, ["create_date"])
        create_index(
            self.env.cr, "crm_customer_need_date_done_index", self._table, ["date_done"],
            where="date_done IS NOT NULL",
        )
        return res
