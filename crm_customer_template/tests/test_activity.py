# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime

from odoo.tests import tagged

from .common import CrmCustomerCommon


@tagged("crm_customer", "crm_customer_activity")
class TestFollowupActivity(CrmCustomerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customers(1)

    def _customer_activities(self, customer=None):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "crm.customer"),
                ("res_id", "=", (customer or self.customer).id),
                ("activity_type_id", "=", self.activity_type_followup.id),
            ]
        )

    def test_no_plan_no_activity(self):
        followup = self.Followup.create(self._followup_vals(self.customer))
        self.assertFalse(followup.activity_id)
        self.assertFalse(self._customer_activities())
        blank = self.Followup.create(self._followup_vals(self.customer, next_plan="  \n "))
        self.assertFalse(blank.activity_id, "a blank plan schedules nothing")

    def test_plan_schedules_activity_for_owner(self):
        # the manager logs the follow-up; the activity goes to the owner
        followup = self.Followup.with_user(self.user_manager).create(
            self._followup_vals(
                self.customer,
                next_plan="寄送样品\nSend samples, then call back",
                next_date=date(2030, 3, 15),
            )
        )
        activity = followup.activity_id
        self.assertEqual(activity, self._customer_activities())
        self.assertEqual(activity.res_model, "crm.customer")
        self.assertEqual(activity.res_id, self.customer.id)
        self.assertEqual(activity.user_id, self.user_sales_a, "assigned to the customer's owner")
        self.assertEqual(activity.activity_type_id, self.activity_type_followup)
        self.assertEqual(activity.date_deadline, date(2030, 3, 15))
        self.assertEqual(activity.summary, "寄送样品", "summary is the first line of the plan")
        self.assertIn(activity, self.customer.activity_ids)

    def test_deadline_defaults_to_day_after_followup(self):
        followup = self.Followup.create(
            self._followup_vals(
                self.customer,
                followup_date=datetime(2030, 3, 15, 2, 0),
                next_plan="回访 Call back",
            )
        )
        self.assertEqual(followup.activity_id.date_deadline, date(2030, 3, 16))

    def test_plan_update_and_removal(self):
        followup = self.Followup.create(
            self._followup_vals(
                self.customer,
                followup_date=datetime(2030, 1, 5, 2, 0),
                next_plan="报价 Quote",
                next_date=date(2030, 1, 10),
            )
        )
        activity = followup.activity_id
        followup.write({"next_plan": "拜访 Visit\ndetails", "next_date": date(2030, 2, 1)})
        self.assertEqual(followup.activity_id, activity, "the same activity is updated")
        self.assertEqual(activity.summary, "拜访 Visit")
        self.assertEqual(activity.date_deadline, date(2030, 2, 1))

        followup.next_date = False
        self.assertEqual(
            activity.date_deadline, date(2030, 1, 6), "no next date: the day after the follow-up"
        )

        followup.next_plan = False
        self.assertFalse(activity.exists(), "clearing the plan removes the activity")
        self.assertFalse(followup.activity_id)
        self.assertFalse(self._customer_activities())

        followup.next_plan = "再次联系 Contact again"
        self.assertTrue(followup.activity_id, "a new plan schedules a new activity")
        self.assertEqual(len(self._customer_activities()), 1)

    def test_activity_done_then_new_plan(self):
        followup = self.Followup.create(
            self._followup_vals(self.customer, next_plan="报价 Quote", next_date=date(2030, 1, 10))
        )
        followup.activity_id.action_feedback(feedback="已报价 Quoted")
        self.assertFalse(followup.activity_id)
        followup.write({"next_plan": "签约 Sign", "next_date": date(2030, 2, 1)})
        self.assertEqual(followup.activity_id.summary, "签约 Sign")

    def test_unlink_followup_removes_activity(self):
        followup = self.Followup.create(
            self._followup_vals(self.customer, next_plan="报价 Quote")
        )
        activity = followup.activity_id
        followup.unlink()
        self.assertFalse(activity.exists())

    def test_batch_create(self):
        customers = self._create_customers(3) | self._create_customers(
            2, user_id=self.user_sales_b.id
        )
        vals_list = [
            self._followup_vals(
                customer, next_plan=f"计划 Plan {index}", next_date=date(2030, 1, index + 1)
            )
            for index, customer in enumerate(customers)
        ]
        vals_list.append(self._followup_vals(customers[0]))
        followups = self.Followup.create(vals_list)
        self.assertEqual(len(followups.activity_id), 5)
        for index, (customer, followup) in enumerate(zip(customers, followups, strict=False)):
            activity = followup.activity_id
            self.assertEqual(activity.res_id, customer.id)
            self.assertEqual(activity.user_id, customer.user_id)
            self.assertEqual(activity.summary, f"计划 Plan {index}")
            self.assertEqual(activity.date_deadline, date(2030, 1, index + 1))
        self.assertFalse(followups[-1].activity_id)

    def _count_create_queries(self, customers):
        vals_list = [
            self._followup_vals(customer, next_plan="计划 Plan", next_date=date(2030, 1, 1))
            for customer in customers
        ]
        Followup = self.Followup.with_user(self.user_sales_a)
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        followups = Followup.create(vals_list)
        self.env.flush_all()
        count = self.cr.sql_log_count - before
        self.assertEqual(len(followups.activity_id), len(customers))
        return count

    def test_batch_create_query_count(self):
        """Codes and activities are drawn per batch, not per record."""
        customers = self._create_customers(42)
        self._count_create_queries(customers[:2])  # warm the caches
        small = self._count_create_queries(customers[2:4])
        large = self._count_create_queries(customers[4:])
        self.assertLessEqual(large, small + 2, f"{small} queries for 2 follow-ups, {large} for 38")

    def test_last_followup_date(self):
        self.assertFalse(self.customer.last_followup_date)
        self.Followup.create(
            [
                self._followup_vals(self.customer, followup_date=datetime(2030, 1, 1, 8, 0)),
                self._followup_vals(self.customer, followup_date=datetime(2030, 5, 1, 8, 0)),
            ]
        )
        self.assertEqual(self.customer.last_followup_date, datetime(2030, 5, 1, 8, 0))
