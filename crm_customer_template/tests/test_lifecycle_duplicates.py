# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.crm_customer_template.models.crm_customer_duplicate import normalize_customer_name

from .common import VALID_CREDIT_CODE, CrmCustomerCommon


@tagged("post_install", "-at_install", "crm_customer_lifecycle")
class TestDuplicates(CrmCustomerCommon):
    def test_normalize_chinese_names(self):
        base = normalize_customer_name("杭州云帆科技有限公司")
        for variant in (
            "杭州云帆科技有限责任公司",
            "杭州 云帆科技（杭州）有限公司",
            "杭州云帆科技(北京)股份有限公司",
            "ＨＺ"[:0] + "杭州云帆科技・有限公司",
            "  杭州云帆科技【杭州】公司 ",
        ):
            with self.subTest(variant=variant):
                self.assertEqual(normalize_customer_name(variant), base)
        self.assertEqual(normalize_customer_name("ＡＢＣ Trading Co., Ltd."), normalize_customer_name("abc trading"))
        self.assertNotEqual(normalize_customer_name("杭州云帆网络有限公司"), base)

    def test_warn_discloses_only_the_owner(self):
        self._create_customers(1, name="杭州云帆科技有限公司", user_id=self.user_sales_b.id, phone="13900000001")
        # the form's onchange warns while typing (the salesperson cannot see B's customers)
        form = Form(self.Customer.with_user(self.user_sales_a))
        form.name = "杭州云帆科技（杭州）有限责任公司"
        expected = "A duplicate of 杭州云帆科技（杭州）有限责任公司 exists, owned by Salesperson B 销售乙."
        self.assertEqual(form.duplicate_warning, expected)
        # warn mode: saving is allowed, the saved customer keeps the notice
        customer = self.Customer.with_user(self.user_sales_a).create(
            self._customer_vals(5, name="杭州云帆科技（杭州）有限责任公司", phone="13900000002")
        )
        self.assertEqual(customer.duplicate_warning, expected)
        # a duplicate by phone, found through the contact-data hash as superuser
        by_phone = self.Customer.with_user(self.user_sales_a).create(
            self._customer_vals(6, name="另一家公司", phone="139 0000 0001")
        )
        self.assertIn("owned by Salesperson B", by_phone.duplicate_warning)

    def test_phone_and_credit_code_duplicates(self):
        self._create_customers(1, name="甲公司", phone="13900000009", credit_code=VALID_CREDIT_CODE,
                               user_id=self.user_sales_b.id)  # fmt: skip
        same_phone = self._create_customers(1, name="乙公司", phone="139-0000-0009")
        self.assertIn("Salesperson B", same_phone.duplicate_warning)
        other = self._create_customers(1, name="丙公司", phone="13900000010")
        self.assertFalse(other.duplicate_warning)

    def test_block_mode(self):
        self.env["ir.config_parameter"].sudo().set_param("crm_customer_template.duplicate_mode", "block")
        self._create_customers(1, name="苏州恒远精工有限公司", user_id=self.user_sales_b.id, phone="13900000003")
        with self.assertRaisesRegex(ValidationError, "owned by Salesperson B"):
            self._create_customers(1, name="苏州恒远精工股份有限公司", phone="13900000004")
        other = self._create_customers(1, name="苏州恒远电子有限公司", phone="13900000005")
        with self.assertRaisesRegex(ValidationError, "duplicate"):
            other.write({"phone": "13900000003"})

    # ------------------------------------------------------------
    # merge
    # ------------------------------------------------------------

    def test_merge_keeps_every_child(self):
        keep, drop = self._create_customers(2, user_id=self.user_sales_a.id)
        drop.write({"email": "drop@example.com", "city": "宁波"})
        self.Followup.create([self._followup_vals(keep), self._followup_vals(drop, next_plan="回访")])
        self.Need.create({"customer_id": drop.id, "need_type_id": self.need_type_product.id, "description": "x"})
        self.Feedback.create({"customer_id": drop.id, "feedback_type_id": self.feedback_type_praise.id, "description": "y"})
        drop.action_set_intent()
        drop.message_post(body="note on the duplicate")
        drop_code = drop.code
        with self.assertRaises(AccessError):
            self.env["crm.customer.merge"].with_user(self.user_sales_a).with_context(
                default_customer_ids=(keep | drop).ids).create({"target_id": keep.id}).action_merge()  # fmt: skip
        wizard = Form(self.env["crm.customer.merge"].with_user(self.user_manager).with_context(
            default_customer_ids=(keep | drop).ids))  # fmt: skip
        wizard.target_id = keep
        names = [wizard.line_ids.edit(i)._values["field_name"] for i in range(len(wizard.line_ids))]
        self.assertIn("email", names)
        with wizard.line_ids.edit(names.index("email")) as line:
            line.source_id = drop
        wizard.save().action_merge()
        self.assertFalse(drop.exists())
        self.assertEqual(keep.email, "drop@example.com")
        self.assertEqual(keep.followup_count, 2)
        self.assertEqual(keep.need_count, 1)
        self.assertEqual(keep.feedback_count, 1)
        self.assertTrue(keep.activity_ids)
        self.assertIn("note on the duplicate", "".join(keep.message_ids.mapped("body")))
        ledger = self.env["crm.customer.ledger"].search([("customer_id", "=", keep.id)])
        self.assertEqual(set(ledger.mapped("pool_move")) - {False}, {"merge"})
        self.assertTrue(ledger.filtered(lambda row: row.state_to == "intent"))
        self.assertIn(drop_code, ledger.filtered(lambda row: row.pool_move == "merge").evidence)

    # ------------------------------------------------------------
    # quarterly data check
    # ------------------------------------------------------------

    def test_quarterly_check_at_threshold_and_confirm(self):
        customer = self._create_customers(1, user_id=self.user_sales_a.id)
        review = self.env.ref("crm_customer_template.mail_activity_type_crm_customer_review")
        created = customer.create_date

        def reviews():
            return customer.activity_ids.filtered(lambda activity: activity.activity_type_id == review)

        with freeze_time(created + timedelta(days=90, seconds=-5)):
            self.Customer._cron_quarterly_verification()
        self.assertFalse(reviews())
        with freeze_time(created + timedelta(days=90, seconds=5)):
            self.Customer._cron_quarterly_verification()
            self.Customer._cron_quarterly_verification()
        self.assertEqual(len(reviews()), 1)
        self.assertEqual(reviews().user_id, self.user_sales_a)
        with freeze_time(created + timedelta(days=91)):
            customer.with_user(self.user_sales_a).action_confirm_verified()
            self.assertEqual(customer.verified_on, fields.Date.context_today(customer))
        self.assertFalse(reviews())
        with self.assertRaisesRegex(Exception, "Confirm Data"):
            customer.with_user(self.user_sales_a).write({"verified_on": "2020-01-01"})
        with freeze_time(created + timedelta(days=150)):
            self.Customer._cron_quarterly_verification()
        self.assertFalse(reviews())
