# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class ResUsers(models.Model):
    _inherit = "res.users"

    def _update_last_login(self):
        """Log the logins of users who can reach customer data (one insert)."""
        super()._update_last_login()
        user = self.env.user
        if user.has_group("crm_customer_template.group_crm_customer_user") or user.has_group(
            "crm_customer_template.group_crm_customer_auditor"
        ):
            self.env["crm.customer.log"]._log("login")
