# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import Form, tagged, users

from .common import VALID_CREDIT_CODE, CrmCustomerCommon


@tagged("post_install", "-at_install", "crm_customer", "crm_customer_views")
class TestCustomerViews(CrmCustomerCommon):
    def test_customer_form(self):
        with Form(self.Customer.with_user(self.user_sales_a)) as form:
            self.assertEqual(form.customer_kind, "company")
            self.assertEqual(form.state, "potential")
            self.assertEqual(form.user_id, self.user_sales_a)
            form.name = "杭州云帆科技有限公司"
            form.credit_code = VALID_CREDIT_CODE
            form.industry_id = self.industry_it
            form.contact_name = "王磊"
            # a salesperson without the full-contact right edits the masked field
            form.phone_masked = "138 5711 2345"
            form.grade = "a"
            form.source_id = self.source_trade_show
            with form.followup_ids.new() as line:
                line.method_id = self.method_phone
                line.content = "首次电话沟通 First call"
                line.next_plan = "发送资料 Send the brochure"
        customer = form.record
        self.assertRegex(customer.code, r"^C\d{8}\d{3}$")
        self.assertEqual(customer.phone, "13857112345")
        self.assertEqual(customer.followup_count, 1)
        self.assertRegex(customer.followup_ids.code, r"^G\d{8}\d{3}$")
        self.assertEqual(customer.activity_ids.summary, "发送资料 Send the brochure")

    def test_customer_form_person(self):
        with Form(self.Customer) as form:
            form.credit_code = VALID_CREDIT_CODE
            form.customer_kind = "person"
            self.assertFalse(form.credit_code, "switching to an individual clears the credit code")
            form.name = "赵敏"
            form.industry_id = self.industry_it
            form.contact_name = "赵敏"
            form.phone = "13605741234"
            form.gender = "female"
        self.assertEqual(form.record.customer_kind, "person")
        self.assertFalse(form.record.credit_code)

    def test_customer_quick_create_form(self):
        view = self.env.ref("crm_customer_template.crm_customer_view_form_quick_create")
        with Form(self.Customer, view=view) as form:
            form.name = "上海明德贸易有限公司"
            form.industry_id = self.industry_it
            form.contact_name = "陈静"
            form.phone = "021-68881234"
        self.assertEqual(form.record.phone, "02168881234")

    def test_followup_form(self):
        customer = self._create_customers(1)
        with Form(self.Followup.with_context(default_customer_id=customer.id)) as form:
            self.assertEqual(form.customer_id, customer)
            form.method_id = self.method_wechat
            form.content = "微信沟通 WeChat chat"
            form.next_plan = "回访 Call back"
        followup = form.record
        self.assertRegex(followup.code, r"^G\d{11}$")
        self.assertEqual(followup.activity_id.user_id, customer.user_id)

    def test_need_form(self):
        customer = self._create_customers(1)
        with Form(self.Need.with_context(default_customer_id=customer.id)) as form:
            form.need_type_id = self.need_type_product
            form.description = "需要报价 Needs a quotation"
            form.priority = "high"
        need = form.record
        self.assertRegex(need.code, r"^D\d{11}$")
        self.assertEqual(need.state, "pending")
        need.action_start()
        self.assertEqual(need.state, "in_progress")
        need.action_done()
        self.assertTrue(need.date_done)
        need.action_reset()
        self.assertFalse(need.date_done)

    def test_feedback_form(self):
        customer = self._create_customers(1)
        with Form(self.Feedback.with_context(default_customer_id=customer.id)) as form:
            form.feedback_type_id = self.feedback_type_complaint
            form.description = "发货延迟 Late delivery"
            form.satisfaction = 2
        feedback = form.record
        self.assertRegex(feedback.code, r"^F\d{11}$")
        self.assertTrue(feedback.is_complaint)

    def test_dictionary_forms(self):
        for model in ("crm.customer.source", "crm.customer.followup.method",
                      "crm.customer.need.type", "crm.customer.feedback.type",
                      "crm.customer.tag"):  # fmt: skip
            views = self.env[model].get_views([(False, "list"), (False, "search")])
            self.assertEqual(set(views["views"]), {"list", "search"}, model)

    def test_get_views(self):
        expected = {
            "crm.customer": ["kanban", "list", "form", "search", "pivot", "graph", "activity"],
            "crm.customer.followup": ["list", "form", "search", "calendar"],
            "crm.customer.need": ["list", "form", "search"],
            "crm.customer.feedback": ["list", "form", "search"],
        }
        for model, view_types in expected.items():
            for user in (self.user_sales_a, self.user_manager):
                result = self.env[model].with_user(user).get_views(
                    [(False, view_type) for view_type in view_types]
                )
                for view_type in view_types:
                    view = result["views"][view_type]
                    self.assertTrue(view["arch"].startswith(f"<{view_type}"), (model, view_type))
                    self.assertIn(
                        "crm_customer_template", self.env["ir.ui.view"].browse(view["id"]).xml_id
                    )

    def test_actions_and_menus(self):
        for xmlid in ("crm_customer_action", "crm_customer_followup_action",
                      "crm_customer_need_action", "crm_customer_feedback_action"):  # fmt: skip
            action = self.env["ir.actions.act_window"]._for_xml_id(f"crm_customer_template.{xmlid}")
            views = self.env[action["res_model"]].get_views(
                [(False, mode) for mode in action["view_mode"].split(",")]
            )
            self.assertTrue(views["views"])
        menus = self.env["ir.ui.menu"].with_user(self.user_sales_a)._visible_menu_ids()
        root = self.env.ref("crm_customer_template.crm_customer_menu_root")
        config = self.env.ref("crm_customer_template.crm_customer_menu_config")
        self.assertIn(root.id, menus)
        self.assertNotIn(config.id, menus, "configuration is for managers")
        manager_menus = self.env["ir.ui.menu"].with_user(self.user_manager)._visible_menu_ids()
        self.assertIn(config.id, manager_menus)

    @users("crm_sales_a")
    def test_smart_buttons(self):
        customer = self.env["crm.customer"].create(self._customer_vals())
        other = self.env["crm.customer"].create(self._customer_vals(1))
        self.env["crm.customer.followup"].create(
            [self._followup_vals(customer) for _i in range(3)] + [self._followup_vals(other)]
        )
        self.env["crm.customer.need"].create(
            [
                {
                    "customer_id": customer.id,
                    "need_type_id": self.need_type_product.id,
                    "description": f"需求 {index}",
                }
                for index in range(2)
            ]
        )
        self.env["crm.customer.feedback"].create(
            {
                "customer_id": customer.id,
                "feedback_type_id": self.feedback_type_praise.id,
                "description": "好评 Praise",
            }
        )
        customers = customer | other
        self.assertEqual(customers.mapped("followup_count"), [3, 1])
        self.assertEqual(customers.mapped("need_count"), [2, 0])
        self.assertEqual(customers.mapped("feedback_count"), [1, 0])
        for method, model, count in (
            ("action_view_followups", "crm.customer.followup", 3),
            ("action_view_needs", "crm.customer.need", 2),
            ("action_view_feedback", "crm.customer.feedback", 1),
        ):
            action = getattr(customer, method)()
            self.assertEqual(action["res_model"], model)
            self.assertEqual(self.env[model].search_count(action["domain"]), count)
            self.assertEqual(action["context"]["default_customer_id"], customer.id)
