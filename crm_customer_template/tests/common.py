# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, new_test_user

from odoo.addons.crm_customer_template.models.crm_customer import credit_code_check_char

VALID_CREDIT_CODE = "91350100M000100Y43"


def make_credit_code(index, area="330106"):
    """A valid 18-character credit code, different for each ``index``."""
    base = f"91{area}MA{index:07d}"
    return base + credit_code_check_char(base)


class CrmCustomerCommon(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tz="Asia/Shanghai"))
        cls.user_sales_a = new_test_user(
            cls.env,
            login="crm_sales_a",
            name="Salesperson A 销售甲",
            email="crm_sales_a@example.com",
            groups="crm_customer_template.group_crm_customer_user",
            tz="Asia/Shanghai",
        )
        cls.user_sales_b = new_test_user(
            cls.env,
            login="crm_sales_b",
            name="Salesperson B 销售乙",
            email="crm_sales_b@example.com",
            groups="crm_customer_template.group_crm_customer_user",
            tz="Asia/Shanghai",
        )
        cls.user_manager = new_test_user(
            cls.env,
            login="crm_manager",
            name="Customer Manager 客户经理",
            email="crm_manager@example.com",
            groups="crm_customer_template.group_crm_customer_manager",
            tz="Asia/Shanghai",
        )
        ref = cls.env.ref
        cls.industry_it = ref("base.res_partner_industry_J")
        cls.industry_manufacturing = ref("base.res_partner_industry_C")
        cls.source_trade_show = ref("crm_customer_template.crm_customer_source_trade_show")
        cls.source_referral = ref("crm_customer_template.crm_customer_source_referral")
        cls.method_phone = ref("crm_customer_template.crm_customer_followup_method_phone")
        cls.method_wechat = ref("crm_customer_template.crm_customer_followup_method_wechat")
        cls.need_type_product = ref("crm_customer_template.crm_customer_need_type_product")
        cls.feedback_type_complaint = ref(
            "crm_customer_template.crm_customer_feedback_type_complaint"
        )
        cls.feedback_type_praise = ref("crm_customer_template.crm_customer_feedback_type_praise")
        cls.activity_type_followup = ref(
            "crm_customer_template.mail_activity_type_crm_customer_followup"
        )
        cls.Customer = cls.env["crm.customer"]
        cls.Followup = cls.env["crm.customer.followup"]
        cls.Need = cls.env["crm.customer.need"]
        cls.Feedback = cls.env["crm.customer.feedback"]

    @classmethod
    def _customer_vals(cls, index=0, **vals):
        return {
            "name": f"测试客户 Test Customer {index}",
            "industry_id": cls.industry_it.id,
            "contact_name": f"联系人 {index}",
            "phone": f"138{index:08d}",
            "user_id": cls.user_sales_a.id,
            **vals,
        }

    @classmethod
    def _create_customers(cls, count, **vals):
        """Create ``count`` customers in one batch (``vals`` overrides the defaults)."""
        return cls.Customer.create([cls._customer_vals(index, **vals) for index in range(count)])

    def _followup_vals(self, customer, **vals):
        return {
            "customer_id": customer.id,
            "method_id": self.method_phone.id,
            "content": "电话沟通需求 Called about the needs",
            **vals,
        }
