# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import CrmCustomerCommon


@tagged("post_install", "-at_install", "crm_customer_lifecycle")
class TestSegmentation(CrmCustomerCommon):
    def _stage_rows(self, customer):
        return self.env["crm.customer.ledger"].search(
            [("customer_id", "=", customer.id), ("kind", "=", "lifecycle")], order="id"
        )

    def test_lifecycle_stages_at_thresholds(self):
        customer = self._create_customers(1)
        self.assertEqual(customer.lifecycle_stage, "new")
        created = customer.create_date
        with freeze_time(created + timedelta(days=30, seconds=-5)):
            self.Customer._cron_segmentation()
        self.assertEqual(customer.lifecycle_stage, "new")
        self.assertFalse(self._stage_rows(customer))
        with freeze_time(created + timedelta(days=30, seconds=5)):
            self.Customer._cron_segmentation()
            self.Customer._cron_segmentation()  # idempotent
        self.assertEqual(customer.lifecycle_stage, "silent")
        self.assertEqual(len(self._stage_rows(customer)), 1)
        followup_at = created + timedelta(days=31)
        with freeze_time(followup_at):
            self.Followup.create(self._followup_vals(customer, followup_date=followup_at))
            self.Customer._cron_segmentation()
        self.assertEqual(customer.lifecycle_stage, "active")
        with freeze_time(followup_at + timedelta(days=30, seconds=-5)):
            self.Customer._cron_segmentation()
        self.assertEqual(customer.lifecycle_stage, "active")
        with freeze_time(followup_at + timedelta(days=30, seconds=5)):
            self.Customer._cron_segmentation()
        self.assertEqual(customer.lifecycle_stage, "silent")
        with freeze_time(followup_at + timedelta(days=90, seconds=5)):
            self.Customer._cron_segmentation()
        self.assertEqual(customer.lifecycle_stage, "churned")
        rows = self._stage_rows(customer)
        self.assertEqual(
            [(row.stage_from, row.stage_to) for row in rows],
            [("new", "silent"), ("silent", "active"), ("active", "silent"), ("silent", "churned")],
        )
        self.assertFalse(rows.filtered("state_to"))

    def test_lost_customer_is_churned(self):
        customer = self._create_customers(1)
        customer.action_set_lost(lost_reason_id=self.env.ref("crm_customer_template.crm_customer_lost_reason_price").id)
        self.Customer._cron_segmentation()
        self.assertEqual(customer.lifecycle_stage, "churned")
        self.assertEqual(self._stage_rows(customer).stage_to, "churned")

    def test_value_score(self):
        best, plain = self._create_customers(2)
        best.write({"grade": "a"})
        plain.write({"grade": "c"})
        best.action_set_intent()
        best.action_set_won(contract_number="VS-1", date_won="2026-01-01")
        self.Followup.create([self._followup_vals(best) for _i in range(6)])
        self.Feedback.create({"customer_id": best.id, "feedback_type_id": self.feedback_type_praise.id,
                              "description": "great", "satisfaction": 5})  # fmt: skip
        self.Customer._cron_segmentation()
        self.assertEqual(best.value_score, 100.0)
        self.assertEqual(plain.value_score, 12.0)  # grade C: 30 points x 40 % weight
        self.env["ir.config_parameter"].sudo().set_param("crm_customer_template.score_weight_grade", 0)
        self.Customer._cron_segmentation()
        self.assertEqual(plain.value_score, 0.0)
        groups = dict(self.Customer._read_group([("id", "in", (best | plain).ids)], ["grade"], ["value_score:avg"]))
        self.assertEqual(groups["a"], 100.0)


@tagged("post_install", "-at_install", "crm_customer_lifecycle")
class TestServiceStandards(CrmCustomerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["crm.team"].create({
            "name": "East team", "user_id": cls.user_manager.id,
            "member_ids": [Command.set([cls.user_sales_a.id])],
        })  # fmt: skip
        cls.customer = cls._create_customers(1, user_id=cls.user_sales_a.id)

    def _activities(self, record, user=None):
        domain = [("res_model", "=", record._name), ("res_id", "=", record.id)]
        if user:
            domain.append(("user_id", "=", user.id))
        return self.env["mail.activity"].search(domain)

    def test_low_satisfaction_escalates_at_threshold(self):
        low, fine = self.Feedback.create([
            {"customer_id": self.customer.id, "feedback_type_id": self.feedback_type_praise.id,
             "description": "slow", "satisfaction": 2, "user_id": self.user_sales_a.id},
            {"customer_id": self.customer.id, "feedback_type_id": self.feedback_type_praise.id,
             "description": "ok", "satisfaction": 3, "user_id": self.user_sales_a.id},
        ])  # fmt: skip
        self.assertTrue(low.escalated)
        self.assertFalse(fine.escalated)
        owner_activities = self._activities(self.customer, self.user_sales_a)
        self.assertEqual(len(owner_activities), 1)
        notified = self.env["mail.message"].search(
            [("model", "=", "crm.customer.feedback"), ("res_id", "=", low.id), ("partner_ids", "in", self.user_manager.partner_id.ids)]
        )
        self.assertTrue(notified)
        fine.write({"satisfaction": 1})
        fine.write({"satisfaction": 1, "description": "worse"})
        self.assertTrue(fine.escalated)
        self.assertEqual(len(self._activities(self.customer, self.user_sales_a)), 2)

    def test_complaint_escalates(self):
        complaint = self.Feedback.create({"customer_id": self.customer.id, "description": "broken",
                                          "feedback_type_id": self.feedback_type_complaint.id})  # fmt: skip
        self.assertTrue(complaint.escalated)

    def test_need_overdue_per_priority_and_escalated_to_team_leader(self):
        need = self.Need.create({"customer_id": self.customer.id, "need_type_id": self.need_type_product.id,
                                 "description": "quote", "priority": "high", "user_id": self.user_sales_a.id})  # fmt: skip
        self.env.flush_all()
        self.assertEqual(need.response_deadline, need.create_date + timedelta(hours=4))
        with freeze_time(need.response_deadline - timedelta(seconds=5)):
            self.Need._cron_service_overdue()
        self.assertFalse(need.is_overdue)
        with freeze_time(need.response_deadline + timedelta(seconds=5)):
            self.Need._cron_service_overdue()
            self.Need._cron_service_overdue()
        self.assertTrue(need.is_overdue)
        self.assertEqual(len(self._activities(need, self.user_manager)), 1)
        counts = dict(self.Need._read_group([("is_overdue", "=", True)], ["user_id"], ["__count"]))
        self.assertEqual(counts[self.user_sales_a], 1)
        need.action_done()
        self.Need._cron_service_overdue()
        self.assertFalse(need.is_overdue)

    def test_feedback_deadline_per_type(self):
        self.feedback_type_complaint.response_hours = 8
        start = datetime(2026, 3, 2, 1, 0, 0)
        feedback = self.Feedback.create({"customer_id": self.customer.id, "description": "late delivery",
                                         "feedback_type_id": self.feedback_type_complaint.id,
                                         "feedback_date": start, "user_id": self.user_sales_a.id})  # fmt: skip
        self.assertEqual(feedback.response_deadline, start + timedelta(hours=8))
        with freeze_time(start + timedelta(hours=8, seconds=-1)):
            self.Feedback._cron_service_overdue()
        self.assertFalse(feedback.is_overdue)
        with freeze_time(start + timedelta(hours=8, seconds=1)):
            self.Feedback._cron_service_overdue()
        self.assertTrue(feedback.is_overdue)
        feedback.result = "Replaced the goods"
        self.Feedback._cron_service_overdue()
        self.assertFalse(feedback.is_overdue)
