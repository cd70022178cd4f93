# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Security review: pool actions called over RPC with another salesperson's
customer ids must not disclose those customers."""

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CrmCustomerCommon


@tagged("post_install", "-at_install", "crm_customer_lifecycle", "crm_customer_access")
class TestReviewPoolLeaks(CrmCustomerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pool = cls.env["crm.customer.pool"].create({
            "name": "Review pool",
            "member_ids": [Command.set([cls.user_sales_a.id, cls.user_sales_b.id])],
            "manager_ids": [Command.set([cls.user_manager.id])],
        })  # fmt: skip

    def test_claim_of_an_owned_customer_names_nothing(self):
        """Sales B's customer (of a pool Sales A belongs to, but owned, not in
        the pool) is invisible to Sales A: claiming it by id must be refused
        without giving its name (the message of a customer claimed first by
        someone else stays, nameless)."""
        secret = self.Customer.create(self._customer_vals(
            1, name="Secret Owned Customer Ltd", user_id=self.user_sales_b.id, pool_id=self.pool.id,
        ))  # fmt: skip
        self.assertFalse(secret.in_pool)
        as_a = self.Customer.with_user(self.user_sales_a).browse(secret.id)
        with self.assertRaises(UserError) as caught:
            as_a.action_pool_claim()
        self.assertNotIn("Secret Owned Customer", str(caught.exception))
        self.assertEqual(secret.user_id, self.user_sales_b)

    def test_claim_of_a_pool_customer_still_works(self):
        customer = self.Customer.create(self._customer_vals(
            2, user_id=self.user_sales_b.id, pool_id=self.pool.id,
        ))  # fmt: skip
        customer.sudo()._pool_release("test")
        self.Customer.with_user(self.user_sales_a).browse(customer.id).action_pool_claim()
        self.assertEqual(customer.user_id, self.user_sales_a)
