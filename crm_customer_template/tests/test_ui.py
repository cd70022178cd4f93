# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import http
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install", "crm_customer", "crm_customer_ui")
class TestCustomerUi(HttpCase):
    def test_customer_tour(self):
        """Create a customer and one of its follow-ups through the web client."""
        # the steps pick records by their English names
        self.env.ref("base.user_admin").lang = "en_US"
        # Python 3.11 before 3.11.8 may raise "SystemError: AST constructor
        # recursion depth mismatch" when several server threads parse the
        # add-on manifests at once, which the first requests of a fresh server
        # do to build the static routes: build them here, in one thread.
        self.assertTrue(http.root.statics)
        self.start_tour("/odoo", "crm_customer_tour", login="admin")
        customer = self.env["crm.customer"].search([("name", "=", "杭州巡检测试科技有限公司")])
        self.assertEqual(len(customer), 1)
        self.assertRegex(customer.code, r"^C\d{11}$")
        self.assertEqual(customer.industry_id, self.env.ref("base.res_partner_industry_J"))
        self.assertEqual(customer.contact_name, "陈晨")
        self.assertEqual(customer.phone, "13812345678", "the phone was normalised")
        self.assertEqual(customer.user_id, self.env.ref("base.user_admin"))
        followup = customer.followup_ids
        self.assertEqual(len(followup), 1)
        self.assertRegex(followup.code, r"^G\d{11}$")
        self.assertEqual(followup.method_id.name, "Phone")
        self.assertEqual(followup.content, "首次电话沟通，客户有意向试用。")
        self.assertEqual(followup.activity_id.summary, "发送试用账号")
        self.assertEqual(followup.activity_id.res_id, customer.id)
