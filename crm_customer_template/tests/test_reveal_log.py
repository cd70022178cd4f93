# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .access_common import PHONE_A, PHONE_B, CrmCustomerAccessCommon


@tagged("post_install", "-at_install", "crm_customer_access")
class TestRevealAndLog(CrmCustomerAccessCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the revealer works in Sales A's team as a plain member... of Sales B's customer
        cls.customer_b.write({"user_id": cls.user_sales_b.id})
        cls.user_revealer.write(
            {
                "groups_id": [
                    Command.link(
                        cls.env.ref("crm_customer_template.group_crm_customer_team_leader").id
                    )
                ]
            }
        )
        cls.team.write({"crm_team_member_ids": [Command.create({"user_id": cls.user_revealer.id})]})
        cls.Log = cls.env["crm.customer.log"]

    def _reveal(self, user, customer, reason="Customer called back, need to return the call"):
        wizard = (
            self.env["crm.customer.reveal"]
            .with_user(user)
            .create({"customer_id": customer.id, "reason": reason})
        )
        return wizard.action_reveal()

    def test_reveal_returns_value_once_and_logs(self):
        customer = self.customer_a
        self.assertEqual(customer.with_user(self.user_revealer).phone_masked, "138****5678")
        self.assertTrue(customer.with_user(self.user_revealer).can_reveal)
        action = self._reveal(self.user_revealer, customer)
        self.assertEqual(action["params"]["message"], PHONE_A)
        log = self.Log.search([("operation", "=", "reveal"), ("customer_id", "=", customer.id)])
        self.assertEqual(len(log), 1)
        self.assertEqual(log.user_id, self.user_revealer)
        self.assertEqual(log.field_name, "phone")
        self.assertIn("return the call", log.reason)
        # the clear value is stored nowhere in the wizard table
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT count(*) FROM crm_customer_reveal WHERE row_to_json(crm_customer_reveal)::text LIKE %s",
            (f"%{PHONE_A}%",),
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)

    def test_reveal_requires_right_reason_and_visibility(self):
        with self.assertRaises(AccessError), self.cr.savepoint():
            self._reveal(self.user_sales_a, self.customer_a)
        with self.assertRaises(UserError), self.cr.savepoint():
            self._reveal(self.user_revealer, self.customer_a, reason="   ")
        # a customer the revealer cannot read cannot be revealed
        with self.assertRaises(AccessError), self.cr.savepoint():
            self._reveal(self.user_revealer, self.customer_b)
        self.assertFalse(self.Log.search([("operation", "=", "reveal")]))
        self.assertFalse(self.customer_a.with_user(self.user_sales_a).can_reveal)

    def test_daily_limit_and_alert(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("crm_customer_template.reveal_daily_limit", "3")
        params.set_param("crm_customer_template.reveal_alert_threshold", "2")
        for _i in range(3):
            self._reveal(self.user_revealer, self.customer_a)
        with self.assertRaisesRegex(UserError, "limit"), self.cr.savepoint():
            self._reveal(self.user_revealer, self.customer_a)
        self.assertEqual(self.Log.search_count([("operation", "=", "reveal")]), 3)
        # crossing 2 reveals alerted the managers once, not at every further reveal
        alerts = self.Log.search([("operation", "=", "alert"), ("field_name", "=", "reveal")])
        self.assertEqual(len(alerts), 1)
        self.assertEqual(alerts.user_id, self.user_revealer)
        notified = self.env["mail.message"].search(
            [
                ("partner_ids", "in", self.user_manager.partner_id.ids),
                ("body", "ilike", "threshold"),
            ]
        )
        self.assertEqual(len(notified), 1)

    def test_export_logged_and_alert(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "crm_customer_template.export_alert_rows", "2"
        )
        customers = (
            self.env["crm.customer"]
            .with_user(self.user_manager)
            .search([("id", "in", (self.customer_a | self.customer_b).ids)])
        )
        customers.export_data(["name", "phone_masked"])
        log = self.Log.search([("operation", "=", "export")])
        self.assertEqual(
            (log.row_count, log.res_model, log.user_id), (2, "crm.customer", self.user_manager)
        )
        self.assertFalse(self.Log.search([("operation", "=", "alert")]))
        self.children["a"]["crm.customer.followup"].with_user(self.user_manager).export_data(
            ["content"]
        )
        self.assertEqual(self.Log.search_count([("operation", "=", "alert")]), 1)
        customers.export_data(["name"])
        self.assertEqual(self.Log.search_count([("operation", "=", "alert")]), 1)

    def test_log_is_append_only_for_every_role(self):
        self._reveal(self.user_revealer, self.customer_a)
        log = self.Log.search([], limit=1)
        for user in (
            self.user_sales_a,
            self.user_leader,
            self.user_manager,
            self.user_auditor,
            self.env.ref("base.user_admin"),
        ):
            with self.assertRaises(AccessError), self.cr.savepoint():
                log.with_user(user).write({"reason": "rewritten"})
            with self.assertRaises(AccessError), self.cr.savepoint():
                log.with_user(user).unlink()
            with self.assertRaises(AccessError), self.cr.savepoint():
                self.Log.with_user(user).create({"operation": "reveal"})
        # not even the superuser through the ORM
        with self.assertRaises(AccessError), self.cr.savepoint():
            log.sudo().write({"reason": "rewritten"})
        with self.assertRaises(AccessError), self.cr.savepoint():
            log.sudo().unlink()
        # who may read it: managers and auditors, not salespeople
        self.assertTrue(self.Log.with_user(self.user_auditor).search([]))
        self.assertTrue(self.Log.with_user(self.user_manager).search([]))
        with self.assertRaises(AccessError), self.cr.savepoint():
            self.Log.with_user(self.user_sales_a).search([])
        self.assertNotIn(PHONE_A, str(log.read()))
        self.assertNotIn(PHONE_B, str(log.read()))

    def test_state_change_and_deletion_logged(self):
        self.customer_a.with_user(self.user_sales_a).write({"state": "intent"})
        self.assertEqual(
            self.Log.search_count(
                [("operation", "=", "state"), ("customer_id", "=", self.customer_a.id)]
            ),
            1,
        )
        followup = self.children["a"]["crm.customer.followup"]
        followup.with_user(self.user_sales_a).unlink()
        log = self.Log.search([("operation", "=", "unlink"), ("res_model", "=", "crm.customer.followup")])
        self.assertEqual((log.customer_id, log.user_id), (self.customer_a, self.user_sales_a))
        customer_id = self.customer_b.id
        self.customer_b.with_user(self.user_manager).unlink()
        log = self.Log.search([("operation", "=", "unlink"), ("res_id", "=", customer_id)])
        self.assertEqual(log.user_id, self.user_manager)

    def test_settings(self):
        # settings are for administrators (base.group_system), as everywhere in Odoo
        with self.assertRaises(AccessError), self.cr.savepoint():
            self.env["res.config.settings"].with_user(self.user_manager).create({})
        with Form(
            self.env["res.config.settings"].with_user(self.env.ref("base.user_admin"))
        ) as settings:
            self.assertEqual(settings.crm_customer_reveal_daily_limit, 20)
            self.assertFalse(settings.crm_customer_restrict_owner_full_contact)
            settings.crm_customer_reveal_daily_limit = 5
            settings.crm_customer_export_alert_rows = 300
            settings.crm_customer_restrict_owner_full_contact = True
        settings.record.execute()
        params = self.env["ir.config_parameter"].sudo()
        self.assertEqual(params.get_param("crm_customer_template.reveal_daily_limit"), "5")
        self.assertEqual(params.get_param("crm_customer_template.export_alert_rows"), "300")
        self.assertEqual(
            params.get_param("crm_customer_template.restrict_owner_full_contact"), "True"
        )
        self.assertEqual(
            self.env["crm.customer.reveal"].with_user(self.user_revealer).new({}).remaining_today, 5
        )

    def test_reveal_email(self):
        self.customer_a.write({"email": "zhang.wei@alpha.cn"})
        wizard = self.env["crm.customer.reveal"].with_user(self.user_revealer).create(
            {"customer_id": self.customer_a.id, "field_name": "email", "reason": "Send the offer"}
        )
        self.assertEqual(wizard.action_reveal()["params"]["message"], "zhang.wei@alpha.cn")
        log = self.Log.search([("operation", "=", "reveal")])
        self.assertEqual(log.field_name, "email")
