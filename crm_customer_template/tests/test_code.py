# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time
from psycopg2.errors import LockNotAvailable

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from .common import CrmCustomerCommon


@tagged("crm_customer", "crm_customer_code")
class TestCustomerCode(CrmCustomerCommon):
    @freeze_time("2024-05-01 02:00:00")
    def test_code_format_and_counter(self):
        customers = self._create_customers(3)
        self.assertEqual(
            sorted(customers.mapped("code")),
            ["C20240501001", "C20240501002", "C20240501003"],
        )
        more = self._create_customers(1)
        self.assertEqual(more.code, "C20240501004")

    def test_daily_reset(self):
        with freeze_time("2024-05-01 02:00:00"):
            day_one = self._create_customers(2)
        with freeze_time("2024-05-02 02:00:00"):
            day_two = self._create_customers(2)
        with freeze_time("2024-05-01 09:00:00"):
            late_day_one = self._create_customers(1)
        self.assertEqual(sorted(day_one.mapped("code")), ["C20240501001", "C20240501002"])
        self.assertEqual(sorted(day_two.mapped("code")), ["C20240502001", "C20240502002"])
        self.assertEqual(late_day_one.code, "C20240501003", "each day keeps its own counter")

    def test_day_of_the_user_timezone(self):
        # 2024-05-01 20:00 UTC is already 2024-05-02 04:00 in Asia/Shanghai
        with freeze_time("2024-05-01 20:00:00"):
            customer = self.Customer.with_user(self.user_sales_a).create(self._customer_vals())
        self.assertEqual(customer.code, "C20240502001")

    @freeze_time("2024-05-01 02:00:00")
    def test_one_counter_per_model(self):
        customer = self._create_customers(1)
        followups = self.Followup.create([self._followup_vals(customer) for _i in range(2)])
        need = self.Need.create(
            {
                "customer_id": customer.id,
                "need_type_id": self.need_type_product.id,
                "description": "需要报价 Needs a quotation",
            }
        )
        feedback = self.Feedback.create(
            {
                "customer_id": customer.id,
                "feedback_type_id": self.feedback_type_praise.id,
                "description": "服务很好 Great service",
            }
        )
        self.assertEqual(customer.code, "C20240501001")
        self.assertEqual(sorted(followups.mapped("code")), ["G20240501001", "G20240501002"])
        self.assertEqual(need.code, "D20240501001")
        self.assertEqual(feedback.code, "F20240501001")

    @freeze_time("2024-05-01 02:00:00")
    def test_placeholder_code_is_replaced(self):
        customer = self.Customer.create(self._customer_vals(code="New"))
        self.assertEqual(customer.code, "C20240501001")
        copy = customer.copy()
        self.assertEqual(copy.code, "C20240501002", "a copy gets its own code")

    @freeze_time("2024-05-01 02:00:00")
    def test_code_not_editable(self):
        customer = self._create_customers(1)
        followup = self.Followup.create(self._followup_vals(customer))
        for record in (customer, followup):
            with self.assertRaises(UserError):
                record.write({"code": "C20990101001"})
            with self.assertRaises(UserError):
                record.with_user(self.user_manager).code = "X1"
        self.assertEqual(customer.code, "C20240501001")
        # writing the same value (e.g. a client re-sending it) is harmless
        customer.write({"code": customer.code, "grade": "a"})
        self.assertEqual(customer.grade, "a")

    @freeze_time("2024-05-01 02:00:00")
    def test_code_cannot_be_chosen_at_create(self):
        for user in (self.user_sales_a, self.user_manager):
            with self.assertRaises(UserError), self.cr.savepoint():
                self.Customer.with_user(user).create(
                    self._customer_vals(code="C20240101999", user_id=user.id)
                )
        customer = self.Customer.with_user(self.user_sales_a).create(
            self._customer_vals(user_id=self.user_sales_a.id)
        )
        self.assertEqual(customer.code, "C20240501001")

    @freeze_time("2024-05-01 02:00:00")
    def test_code_never_reused(self):
        first, second = self._create_customers(2).sorted("code")
        self.assertEqual(second.code, "C20240501002")
        second.unlink()
        third = self._create_customers(1)
        self.assertEqual(third.code, "C20240501003", "a deleted code is not handed out again")
        self.assertEqual(first.code, "C20240501001")

    @freeze_time("2024-05-01 02:00:00")
    def test_first_code_of_the_day_locks_the_sequence(self):
        """The first record of a day locks the sequence row, so a concurrent
        transaction cannot create a second range for the same day."""
        sequence = self.env.ref("crm_customer_template.seq_crm_customer")
        def day_ranges():
            return sequence.date_range_ids.filtered(lambda r: str(r.date_from) == "2024-05-01")

        self.assertFalse(day_ranges())
        self._create_customers(1)
        self.assertEqual(len(day_ranges()), 1)
        with self.registry.cursor() as other_cr, mute_logger("odoo.sql_db"):
            with self.assertRaises(LockNotAvailable):
                other_cr.execute(
                    SQL("SELECT id FROM ir_sequence WHERE id = %s FOR UPDATE NOWAIT", sequence.id)
                )
            other_cr.rollback()
