# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from .common import CrmCustomerCommon


@tagged("crm_customer", "crm_customer_tracking")
class TestTracking(CrmCustomerCommon):
    def _flush_tracking(self):
        """Run the precommit hooks that write the tracking values (the
        changes of a record created in the same transaction are not tracked)."""
        self.env.flush_all()
        self.cr.flush()
        self.env.invalidate_all()

    def _tracked_fields(self, record):
        self._flush_tracking()
        return set(record.message_ids.tracking_value_ids.field_id.mapped("name"))

    def test_customer_tracking(self):
        customer = self._create_customers(1)
        self._flush_tracking()
        self.assertTrue(customer.message_ids, "creation is logged in the chatter")
        customer.write({"state": "won", "grade": "a", "user_id": self.user_sales_b.id})
        self.assertLessEqual({"state", "grade", "user_id"}, self._tracked_fields(customer))
        self.assertIn(self.user_sales_a.partner_id, customer.message_partner_ids)

    def test_need_tracking(self):
        customer = self._create_customers(1)
        need = self.Need.create(
            {
                "customer_id": customer.id,
                "need_type_id": self.need_type_product.id,
                "description": "需要报价 Needs a quotation",
            }
        )
        self._flush_tracking()
        need.write({"state": "done", "priority": "high", "user_id": self.user_sales_b.id})
        self.assertLessEqual({"state", "priority", "user_id"}, self._tracked_fields(need))
        self.assertTrue(need.date_done)

    def test_feedback_tracking(self):
        customer = self._create_customers(1)
        feedback = self.Feedback.create(
            {
                "customer_id": customer.id,
                "feedback_type_id": self.feedback_type_complaint.id,
                "description": "发货延迟 Late delivery",
            }
        )
        self._flush_tracking()
        feedback.user_id = self.user_sales_b
        self.assertIn("user_id", self._tracked_fields(feedback))
        self.assertEqual(feedback.display_name, feedback.code)
