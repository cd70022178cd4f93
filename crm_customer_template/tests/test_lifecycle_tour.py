# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged

from .common import CrmCustomerCommon


@tagged("post_install", "-at_install", "crm_customer_lifecycle")
class TestLifecycleTour(HttpCase, CrmCustomerCommon):
    def test_action_menu_transition_tour(self):
        customers = self.Customer.create(
            [
                self._customer_vals(index, name=name, user_id=self.user_sales_a.id)
                for index, name in enumerate(("Tour Customer One", "Tour Customer Two", "Tour Customer Three"))
            ]
        )
        self.start_tour(
            "/odoo/action-crm_customer_template.crm_customer_action",
            "crm_customer_lifecycle_action_menu",
            login=self.user_sales_a.login,
        )
        self.assertEqual(customers.mapped("state"), ["intent", "intent", "potential"])
        rows = self.env["crm.customer.ledger"].search([("customer_id", "in", customers.ids)])
        self.assertEqual(rows.customer_id, customers[:2])
        self.assertEqual(set(rows.mapped("state_to")), {"intent"})
        self.assertEqual(rows.user_id, self.user_sales_a)
