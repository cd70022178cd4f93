# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged, users

from .common import CrmCustomerCommon


@tagged("post_install", "-at_install", "crm_customer", "crm_customer_access")
class TestCustomerAccess(CrmCustomerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers_a = cls._create_customers(2, user_id=cls.user_sales_a.id)
        cls.customers_b = cls._create_customers(2, user_id=cls.user_sales_b.id)
        cls.customer_a = cls.customers_a[0]
        cls.customer_b = cls.customers_b[0]
        cls.followup_a = cls.Followup.create(
            {"customer_id": cls.customer_a.id, "method_id": cls.method_phone.id, "content": "A"}
        )
        cls.followup_b = cls.Followup.create(
            {"customer_id": cls.customer_b.id, "method_id": cls.method_phone.id, "content": "B"}
        )
        cls.need_b = cls.Need.create(
            {
                "customer_id": cls.customer_b.id,
                "need_type_id": cls.need_type_product.id,
                "description": "B",
            }
        )
        cls.feedback_b = cls.Feedback.create(
            {
                "customer_id": cls.customer_b.id,
                "feedback_type_id": cls.feedback_type_praise.id,
                "description": "B",
            }
        )

    @users("crm_sales_a")
    def test_salesperson_sees_own_customers(self):
        visible = self.env["crm.customer"].search([])
        self.assertEqual(visible, self.customers_a.with_env(self.env))
        self.assertEqual(
            self.env["crm.customer.followup"].search([]), self.followup_a.with_env(self.env)
        )
        self.assertFalse(self.env["crm.customer.need"].search([]))
        self.assertFalse(self.env["crm.customer.feedback"].search([]))
        # allowed: read and edit an own customer
        customer = self.customer_a.with_env(self.env)
        self.assertTrue(customer.name)
        customer.write({"grade": "b", "state": "intent"})
        self.assertEqual(customer.grade, "b")

    @users("crm_sales_a")
    def test_salesperson_cannot_read_others(self):
        for record in (self.customer_b, self.followup_b, self.need_b, self.feedback_b):
            record = record.with_env(self.env)
            with self.assertRaises(AccessError), self.cr.savepoint():
                record.read(["code"])
            with self.assertRaises(AccessError), self.cr.savepoint():
                record.write({"code": record.sudo().code})

    @users("crm_sales_a")
    def test_salesperson_cannot_create_for_others(self):
        with self.assertRaises(AccessError), self.cr.savepoint():
            self.env["crm.customer"].create(self._customer_vals(5, user_id=self.user_sales_b.id))
        with self.assertRaises(AccessError), self.cr.savepoint():
            self.env["crm.customer.followup"].create(self._followup_vals(self.customer_b))
        own = self.env["crm.customer"].create(self._customer_vals(6))
        self.assertEqual(own.user_id, self.user_sales_a)
        followup = self.env["crm.customer.followup"].create(
            self._followup_vals(own, next_plan="回访 Call back")
        )
        self.assertEqual(followup.activity_id.user_id, self.user_sales_a)

    @users("crm_sales_a")
    def test_salesperson_cannot_delete_customer_or_edit_dictionaries(self):
        with self.assertRaises(AccessError), self.cr.savepoint():
            self.customer_a.with_env(self.env).unlink()
        source = self.source_trade_show.with_env(self.env)
        self.assertEqual(source.name, "Trade show")
        with self.assertRaises(AccessError), self.cr.savepoint():
            source.write({"name": "Changed"})
        with self.assertRaises(AccessError), self.cr.savepoint():
            self.env["crm.customer.tag"].create({"name": "Nope"})

    @users("crm_manager")
    def test_manager_sees_all(self):
        visible = self.env["crm.customer"].search([])
        self.assertLessEqual(self.customers_a | self.customers_b, visible.sudo())
        self.assertLessEqual(
            self.followup_a | self.followup_b, self.env["crm.customer.followup"].search([]).sudo()
        )
        customer_b = self.customer_b.with_env(self.env)
        customer_b.write({"user_id": self.user_sales_a.id})
        self.assertEqual(customer_b.user_id, self.user_sales_a)
        self.need_b.with_env(self.env).read(["description"])
        self.env["crm.customer.tag"].create({"name": "重点 Key"})
        self.customers_a[1].with_env(self.env).unlink()

    def test_reassignment_moves_visibility(self):
        self.customer_b.user_id = self.user_sales_a
        as_a = self.env["crm.customer"].with_user(self.user_sales_a)
        self.assertIn(self.customer_b, as_a.search([]).sudo())
        needs_a = self.env["crm.customer.need"].with_user(self.user_sales_a).search([])
        self.assertIn(self.need_b, needs_a.sudo())
        as_b = self.env["crm.customer"].with_user(self.user_sales_b)
        self.assertNotIn(self.customer_b, as_b.search([]).sudo())

    def test_multi_company(self):
        other_company = self.env["res.company"].create({"name": "分公司 Branch Co."})
        self.user_manager.company_ids = self.env.company
        foreign = self.Customer.create(
            self._customer_vals(9, company_id=other_company.id, user_id=self.user_manager.id)
        )
        with self.assertRaises(AccessError), self.cr.savepoint():
            foreign.with_user(self.user_manager).read(["name"])
        self.user_manager.company_ids |= other_company
        self.assertEqual(
            foreign.with_user(self.user_manager)
            .with_context(allowed_company_ids=[other_company.id])
            .read(["name"])[0]["id"],
            foreign.id,
        )

    def test_no_access_without_group(self):
        internal = self.env["res.users"].create(
            {
                "name": "Internal",
                "login": "crm_internal",
                "groups_id": [Command.set(self.env.ref("base.group_user").ids)],
            }
        )
        for model in ("crm.customer", "crm.customer.followup", "crm.customer.need",
                      "crm.customer.feedback", "crm.customer.source"):  # fmt: skip
            with self.assertRaises(AccessError), self.cr.savepoint():
                self.env[model].with_user(internal).search([])
