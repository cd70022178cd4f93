# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models
from odoo.tools import create_index


class CrmCustomer(models.Model):
    _inherit = "crm.customer"

    def _auto_init(self):
        res = super()._auto_init()
        # The KPI service filters new customers by creation date and counts
        # forgotten customers by their last follow-up (or creation) date.
        create_index(
            self.env.cr, "crm_customer_company_create_date_index", self._table,
            ["company_id", "create_date"],
        )
        create_index(
            self.env.cr, "crm_customer_forgotten_index", self._table,
            ["company_id", "(coalesce(last_followup_date, create_date))"],
            where="active AND state <> 'lost'",
        )
        return res
