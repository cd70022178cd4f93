# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import Form, tagged

from .common import CrmCustomerCommon

T0 = datetime(2026, 3, 2, 2, 0, 0)  # 10:00 in Shanghai


@tagged("post_install", "-at_install", "crm_customer_lifecycle")
class TestFollowupRules(CrmCustomerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reminder_type = cls.env.ref("crm_customer_template.mail_activity_type_crm_customer_no_followup")

    def _set_param(self, key, value):
        self.env["ir.config_parameter"].sudo().set_param(f"crm_customer_template.{key}", value)

    def _reminders(self, customers):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "crm.customer"),
                ("res_id", "in", customers.ids),
                ("activity_type_id", "=", self.reminder_type.id),
            ]
        )

    # ------------------------------------------------------------
    # entry deadline
    # ------------------------------------------------------------

    def test_entry_deadline_default_24h_at_threshold(self):
        customer = self._create_customers(1)
        with freeze_time(T0):
            on_time, late = self.Followup.create(
                [
                    self._followup_vals(customer, followup_date=T0 - timedelta(hours=24)),
                    self._followup_vals(customer, followup_date=T0 - timedelta(hours=24, seconds=1)),
                ]
            )
        self.assertEqual(on_time.logged_date, T0)
        self.assertFalse(on_time.is_late)
        self.assertTrue(late.is_late)
        self.assertEqual(late.entry_compliance, 0.0)
        self.assertEqual(on_time.entry_compliance, 100.0)

    def test_entry_deadline_configurable(self):
        customer = self._create_customers(1)
        self._set_param("followup_entry_hours", 48)
        with freeze_time(T0):
            followup = self.Followup.create(self._followup_vals(customer, followup_date=T0 - timedelta(hours=30)))
            at_limit = self.Followup.create(self._followup_vals(customer, followup_date=T0 - timedelta(hours=48, minutes=1)))
        self.assertFalse(followup.is_late)
        self.assertTrue(at_limit.is_late)

    def test_logged_date_cannot_be_forged(self):
        customer = self._create_customers(1, user_id=self.user_sales_a.id)
        with freeze_time(T0):
            followup = self.Followup.with_user(self.user_sales_a).create(
                self._followup_vals(
                    customer, followup_date=T0 - timedelta(days=3), logged_date=T0 - timedelta(days=3)
                )
            )
            followup.write({"logged_date": T0 - timedelta(days=3)})
        self.assertEqual(followup.logged_date, T0)
        self.assertTrue(followup.is_late)

    def test_compliance_per_salesperson_groupable(self):
        customer_a = self._create_customers(1, user_id=self.user_sales_a.id)
        customer_b = self._create_customers(1, user_id=self.user_sales_b.id)
        with freeze_time(T0):
            self.Followup.create(
                [
                    self._followup_vals(customer_a, user_id=self.user_sales_a.id, followup_date=T0 - timedelta(hours=1)),
                    self._followup_vals(customer_a, user_id=self.user_sales_a.id, followup_date=T0 - timedelta(hours=2)),
                    self._followup_vals(customer_a, user_id=self.user_sales_a.id, followup_date=T0 - timedelta(hours=3)),
                    self._followup_vals(customer_a, user_id=self.user_sales_a.id, followup_date=T0 - timedelta(days=2)),
                    self._followup_vals(customer_b, user_id=self.user_sales_b.id, followup_date=T0 - timedelta(days=5)),
                ]
            )
        groups = dict(
            self.Followup._read_group(
                [("customer_id", "in", (customer_a | customer_b).ids)], ["user_id"], ["entry_compliance:avg"]
            )
        )
        self.assertEqual(groups[self.user_sales_a], 75.0)
        self.assertEqual(groups[self.user_sales_b], 0.0)
        # a salesperson sees only her own figure
        own = self.Followup.with_user(self.user_sales_b)._read_group([], ["user_id"], ["entry_compliance:avg"])
        self.assertEqual([user for user, _avg in own], [self.user_sales_b])

    # ------------------------------------------------------------
    # customers without follow-up, per grade
    # ------------------------------------------------------------

    def test_no_followup_alert_per_grade_at_threshold(self):
        grade_a, grade_c = self._create_customers(2, user_id=self.user_sales_a.id)
        grade_a.grade = "a"
        grade_c.grade = "c"
        with freeze_time(T0):
            self.Followup.create(
                [
                    self._followup_vals(grade_a, followup_date=T0),
                    self._followup_vals(grade_c, followup_date=T0),
                ]
            )
        Customer = self.Customer
        with freeze_time(T0 + timedelta(days=7, seconds=-1)):
            Customer._cron_followup_alert()
        self.assertFalse(grade_a.followup_alert)
        with freeze_time(T0 + timedelta(days=7, seconds=1)):
            Customer._cron_followup_alert()
        self.assertTrue(grade_a.followup_alert)
        self.assertFalse(grade_c.followup_alert)
        reminder = self._reminders(grade_a)
        self.assertEqual(len(reminder), 1)
        self.assertEqual(reminder.user_id, self.user_sales_a)
        with freeze_time(T0 + timedelta(days=8)):
            # idempotent: a second run adds nothing
            Customer._cron_followup_alert()
            Customer._cron_followup_alert()
        self.assertEqual(len(self._reminders(grade_a)), 1)
        with freeze_time(T0 + timedelta(days=30, seconds=1)):
            Customer._cron_followup_alert()
        self.assertTrue(grade_c.followup_alert)
        self.assertEqual(len(self._reminders(grade_c)), 1)
        # logging a follow-up clears the flag and the reminder
        with freeze_time(T0 + timedelta(days=31)):
            self.Followup.with_user(self.user_sales_a).create(self._followup_vals(grade_a))
        self.assertFalse(grade_a.followup_alert)
        self.assertFalse(self._reminders(grade_a))
        self.assertTrue(grade_c.followup_alert)

    def test_no_followup_alert_configurable_and_lost_excluded(self):
        customers = self._create_customers(2, user_id=self.user_sales_a.id, grade="b")
        created = customers[0].create_date
        self._set_param("no_followup_days_b", 3)
        customers[1].action_set_lost(lost_reason_id=self.env.ref("crm_customer_template.crm_customer_lost_reason_price").id)
        with freeze_time(created + timedelta(days=3, seconds=-5)):
            self.Customer._cron_followup_alert()
        self.assertFalse(customers[0].followup_alert)
        with freeze_time(created + timedelta(days=3, seconds=5)):
            self.Customer._cron_followup_alert()
            today = fields.Date.context_today(customers[0])
        self.assertTrue(customers[0].followup_alert)
        self.assertEqual(customers[0].followup_alert_date, today)
        self.assertFalse(customers[1].followup_alert)

    def test_followup_alert_cron_is_declared(self):
        cron = self.env.ref("crm_customer_template.ir_cron_crm_customer_followup_alert")
        self.assertEqual(cron.code, "model._cron_followup_alert()")
        self.assertTrue(cron.active)

    def test_settings_page_saves_the_rules(self):
        settings = Form(self.env["res.config.settings"])
        self.assertEqual(settings.crm_customer_followup_entry_hours, 24)
        settings.crm_customer_followup_entry_hours = 12
        settings.crm_customer_no_followup_days_a = 5
        settings.save().execute()
        self.assertEqual(self.env["res.config.settings"]._crm_customer_param("followup_entry_hours"), 12)
        self.assertEqual(self.env["res.config.settings"]._crm_customer_param("no_followup_days_a"), 5)
