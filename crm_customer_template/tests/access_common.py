# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Fixtures of the access control and data protection tests (issue 4)."""

from odoo import Command
from odoo.tests import TransactionCase, new_test_user

PHONE_A = "13812345678"
PHONE_B = "13987654321"
PHONE_T = "15011112222"


class CrmCustomerAccessCommon(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        prefix = "base.group_allow_export,crm_customer_template.group_crm_customer_"
        cls.user_sales_a = new_test_user(
            cls.env, login="acc_sales_a", name="Sales A", groups=prefix + "user"
        )
        cls.user_sales_b = new_test_user(
            cls.env, login="acc_sales_b", name="Sales B", groups=prefix + "user"
        )
        cls.user_leader = new_test_user(
            cls.env, login="acc_leader", name="Leader", groups=prefix + "team_leader"
        )
        cls.user_manager = new_test_user(
            cls.env, login="acc_manager", name="Manager", groups=prefix + "manager"
        )
        cls.user_auditor = new_test_user(
            cls.env, login="acc_auditor", name="Auditor", groups=prefix + "auditor"
        )
        cls.user_revealer = new_test_user(
            cls.env,
            login="acc_revealer",
            name="Revealer",
            groups=f"{prefix}user,{prefix}reveal",
        )
        cls.user_full = new_test_user(
            cls.env,
            login="acc_full",
            name="Full Contact",
            groups=f"{prefix}user,{prefix}full_contact",
        )
        # Sales A belongs to the team led by Leader; Sales B does not
        cls.team = cls.env["crm.team"].create(
            {
                "name": "Team East",
                "user_id": cls.user_leader.id,
                "crm_team_member_ids": [Command.create({"user_id": cls.user_sales_a.id})],
            }
        )
        cls.industry = cls.env.ref("base.res_partner_industry_J")
        Customer = cls.env["crm.customer"]
        cls.customer_a, cls.customer_b = Customer.create(
            [
                {
                    "name": "Alpha Tech Co.",
                    "industry_id": cls.industry.id,
                    "contact_name": "Zhang Wei",
                    "phone": PHONE_A,
                    "user_id": cls.user_sales_a.id,
                },
                {
                    "name": "Beta Trading Co.",
                    "industry_id": cls.industry.id,
                    "contact_name": "Li Na",
                    "phone": PHONE_B,
                    "user_id": cls.user_sales_b.id,
                },
            ]
        )
        method = cls.env.ref("crm_customer_template.crm_customer_followup_method_phone")
        need_type = cls.env.ref("crm_customer_template.crm_customer_need_type_product")
        feedback_type = cls.env.ref("crm_customer_template.crm_customer_feedback_type_praise")
        cls.children = {}
        for key, customer in (("a", cls.customer_a), ("b", cls.customer_b)):
            cls.children[key] = {
                "crm.customer.followup": cls.env["crm.customer.followup"].create(
                    {"customer_id": customer.id, "method_id": method.id, "content": "Called"}
                ),
                "crm.customer.need": cls.env["crm.customer.need"].create(
                    {
                        "customer_id": customer.id,
                        "need_type_id": need_type.id,
                        "description": "Needs X",
                    }
                ),
                "crm.customer.feedback": cls.env["crm.customer.feedback"].create(
                    {
                        "customer_id": customer.id,
                        "feedback_type_id": feedback_type.id,
                        "description": "Good",
                    }
                ),
            }
        cls.child_vals = {
            "crm.customer.followup": {"method_id": method.id, "content": "New call"},
            "crm.customer.need": {"need_type_id": need_type.id, "description": "New need"},
            "crm.customer.feedback": {
                "feedback_type_id": feedback_type.id,
                "description": "New feedback",
            },
        }

    def _customer_vals(self, **vals):
        return {
            "name": "New Co.",
            "industry_id": self.industry.id,
            "contact_name": "Wang Fang",
            "phone": "13700001111",
            **vals,
        }
