# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class CrmCustomerMerge(models.TransientModel):
    _inherit = "crm.customer.merge"

    def action_merge(self):
        target = self.target_id
        res = super().action_merge()
        # the merge re-attaches the duplicates' ledger rows in SQL: their
        # copies of the kept customer's data and their order follow
        self.env["crm.customer.ledger"]._crm_update_customer_copies(target.ids)
        return res
