# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models
from odoo.tools import create_index


class CrmCustomerFollowup(models.Model):
    _inherit = "crm.customer.followup"

    def _auto_init(self):
        res = super()._auto_init()
        # Gaps between consecutive follow-ups of a customer (window function
        # partitioned by customer, ordered by date) and the 24-hour check.
        create_index(
            self.env.cr, "crm_customer_followup_customer_date_index", self._table,
            ["customer_id", "followup_date", "id"],
        )
        return res
