# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from odoo.addons.crm_customer_template.models.crm_customer import (
    credit_code_is_valid,
    phone_is_valid,
)

from .common import CrmCustomerCommon


@tagged("post_install", "-at_install", "crm_customer", "crm_customer_demo")
class TestDemoData(CrmCustomerCommon):
    """The demo data (when loaded) went through the ORM: codes, normalised
    phones, valid credit codes, activities and the salespeople's scope."""

    def test_demo_data(self):
        yunfan = self.env.ref("crm_customer_template.crm_customer_demo_yunfan", False)
        if not yunfan:
            # database without demo data: nothing to check
            return
        customers = self.env["ir.model.data"].search(
            [("module", "=", "crm_customer_template"), ("model", "=", "crm.customer")]
        ).mapped(lambda data: self.Customer.browse(data.res_id))
        self.assertGreaterEqual(len(customers), 12)
        for customer in customers:
            self.assertRegex(customer.code, r"^C\d{11}$")
            self.assertTrue(phone_is_valid(customer.phone), customer.phone)
            if customer.customer_kind == "company":
                self.assertTrue(credit_code_is_valid(customer.credit_code), customer.name)
            else:
                self.assertFalse(customer.credit_code)
        self.assertEqual(yunfan.name, "杭州云帆科技有限公司")
        self.assertEqual(yunfan.followup_count, 3)
        self.assertEqual(
            set(customers.mapped("state")), {"potential", "intent", "won", "lost"}
        )
        # a demo follow-up with a next plan scheduled an activity for the owner
        planned = self.env.ref("crm_customer_template.crm_customer_followup_demo_yunfan_3")
        self.assertEqual(planned.activity_id.user_id, yunfan.user_id)
        # each demo salesperson sees exactly their own customers
        for login in ("zhangwei", "lina"):
            user = self.env.ref(f"crm_customer_template.user_demo_{login}")
            self.assertEqual(user.login, login)
            self.assertTrue(user.has_group("crm_customer_template.group_crm_customer_user"))
            self.assertFalse(user.has_group("crm_customer_template.group_crm_customer_manager"))
            visible = self.Customer.with_user(user).search([]).sudo()
            own_demo = customers.filtered(lambda c, u=user: c.user_id == u)
            self.assertTrue(own_demo)
            self.assertLessEqual(own_demo, visible)
            self.assertEqual(visible.user_id, user, "only their own customers")
