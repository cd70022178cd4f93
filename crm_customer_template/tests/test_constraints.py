# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.crm_customer_template.models.crm_customer import (
    credit_code_is_valid,
    normalize_phone,
)

from .common import VALID_CREDIT_CODE, CrmCustomerCommon, make_credit_code


@tagged("crm_customer", "crm_customer_constraints")
class TestCustomerConstraints(CrmCustomerCommon):
    # ------------------------------------------------------------
    # Unique codes
    # ------------------------------------------------------------

    def test_code_unique(self):
        customer = self._create_customers(1)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self.Customer.create(self._customer_vals(1, code=customer.code))
        followup = self.Followup.create(self._followup_vals(customer))
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self.Followup.create(self._followup_vals(customer, code=followup.code))

    def test_batch_codes_are_distinct(self):
        customers = self._create_customers(25)
        self.assertEqual(len(set(customers.mapped("code"))), 25)

    # ------------------------------------------------------------
    # Credit code
    # ------------------------------------------------------------

    def test_credit_code_checksum_helper(self):
        self.assertTrue(credit_code_is_valid(VALID_CREDIT_CODE))
        self.assertTrue(credit_code_is_valid("91330106MA2H7KX3PR"))
        self.assertFalse(credit_code_is_valid("91350100M000100Y44"), "wrong check digit")
        self.assertFalse(credit_code_is_valid("91350100M000100Y4"), "too short")
        self.assertFalse(credit_code_is_valid("91350100M000100I43"), "I is not in the charset")
        self.assertFalse(credit_code_is_valid("91ABCDEFM000100Y43"), "region must be digits")
        self.assertFalse(credit_code_is_valid(""))
        for index in range(50):
            self.assertTrue(credit_code_is_valid(make_credit_code(index)))

    def test_credit_code_valid(self):
        customer = self.Customer.create(self._customer_vals(credit_code=VALID_CREDIT_CODE))
        self.assertEqual(customer.credit_code, VALID_CREDIT_CODE)

    def test_credit_code_normalised(self):
        customer = self.Customer.create(
            self._customer_vals(credit_code="  91350100m000100y43 ")
        )
        self.assertEqual(customer.credit_code, VALID_CREDIT_CODE)
        customer.credit_code = "   "
        self.assertFalse(customer.credit_code, "a blank code is stored as empty")

    def test_credit_code_invalid(self):
        for wrong in ("91350100M000100Y44", "91350100M000100Y4", "9135010OM000100Y43", "ABC"):
            with self.assertRaises(ValidationError) as error:
                self.Customer.create(self._customer_vals(credit_code=wrong))
            self.assertIn("Unified Social Credit Code", str(error.exception))
        customer = self._create_customers(1)
        with self.assertRaises(ValidationError):
            customer.credit_code = "91350100M000100Y44"

    def test_credit_code_only_for_companies(self):
        with self.assertRaises(ValidationError):
            self.Customer.create(
                self._customer_vals(customer_kind="person", credit_code=VALID_CREDIT_CODE)
            )
        person = self.Customer.create(self._customer_vals(customer_kind="person"))
        self.assertFalse(person.credit_code)

    def test_credit_code_unique_per_company(self):
        self.Customer.create(self._customer_vals(0, credit_code=VALID_CREDIT_CODE))
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self.Customer.create(self._customer_vals(1, credit_code=VALID_CREDIT_CODE.lower()))
        other_company = self.env["res.company"].create({"name": "分公司 Branch Co."})
        other = self.Customer.create(
            self._customer_vals(
                2,
                credit_code=VALID_CREDIT_CODE,
                company_id=other_company.id,
                user_id=self.env.user.id,
            )
        )
        self.assertEqual(other.credit_code, VALID_CREDIT_CODE)
        # customers without a code never collide
        self._create_customers(3, credit_code=False)

    # ------------------------------------------------------------
    # Phone
    # ------------------------------------------------------------

    def test_phone_normalisation_helper(self):
        cases = {
            "13800138000": "13800138000",
            " 138 0013 8000 ": "13800138000",
            "138-0013-8000": "13800138000",
            "+86 138 0013 8000": "13800138000",
            "+8613800138000": "13800138000",
            "0086 138-0013-8000": "13800138000",
            "0571-8888 6666": "057188886666",
            "(0571) 88886666": "057188886666",
            "010-12345678": "01012345678",
            "+86 10 1234 5678": "01012345678",
            "+86 571 8888 6666": "057188886666",
            "0571-8888 6666 转 123": "057188886666-123",
            "021-68881234 ext. 8": "02168881234-8",
        }
        for raw, expected in cases.items():
            self.assertEqual(normalize_phone(raw), expected, raw)

    def test_phone_normalised_on_create_and_write(self):
        customer = self.Customer.create(self._customer_vals(phone="+86 139-1001-2345"))
        self.assertEqual(customer.phone, "13910012345")
        customer.phone = "0755 2688 1234"
        self.assertEqual(customer.phone, "075526881234")

    def test_phone_invalid(self):
        for wrong in ("12345", "12800138000", "1380013800", "138001380001", "88886666", "abc"):
            with self.assertRaises(ValidationError) as error:
                self.Customer.create(self._customer_vals(phone=wrong))
            self.assertIn("Phone", str(error.exception))
        customer = self._create_customers(1)
        with self.assertRaises(ValidationError):
            customer.phone = "555-1234"

    # ------------------------------------------------------------
    # Feedback satisfaction
    # ------------------------------------------------------------

    def test_satisfaction_range(self):
        customer = self._create_customers(1)
        vals = {
            "customer_id": customer.id,
            "feedback_type_id": self.feedback_type_complaint.id,
            "description": "发货延迟 Late delivery",
        }
        rated = self.Feedback.create(dict(vals, satisfaction=5))
        self.assertEqual(rated.satisfaction, 5)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self.Feedback.create(dict(vals, satisfaction=6))
