# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import CrmCustomerCommon

T0 = datetime(2026, 3, 2, 2, 0, 0)


def at(days, seconds=0):
    return freeze_time(T0 + timedelta(days=days, seconds=seconds))


@tagged("post_install", "-at_install", "crm_customer_lifecycle")
class TestPublicPool(CrmCustomerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_outsider = new_test_user(
            cls.env, login="crm_sales_c", name="Salesperson C", groups="crm_customer_template.group_crm_customer_user"
        )
        cls.pool = cls.env["crm.customer.pool"].create({
            "name": "East pool",
            "member_ids": [Command.set([cls.user_sales_a.id, cls.user_sales_b.id])],
            "manager_ids": [Command.set([cls.user_manager.id])],
            "daily_claim_limit": 2,
            "max_owned": 5,
            "cooldown_days": 7,
            "warning_days": 3,
            "rule_ids": [
                Command.create({"grade": False, "no_followup_days": 10, "not_won_days": 30}),
                Command.create({"grade": "a", "no_followup_days": 20, "not_won_days": 60}),
            ],
        })  # fmt: skip
        cls.Ledger = cls.env["crm.customer.ledger"]

    def _pooled_customers(self, count=1, **vals):
        with freeze_time(T0):
            return self._create_customers(count, pool_id=self.pool.id, **vals)

    def _moves(self, customers, move):
        return self.Ledger.search([("customer_id", "in", customers.ids), ("pool_move", "=", move)])

    def _release_now(self, customers):
        customers.sudo()._pool_release("test")

    # ------------------------------------------------------------
    # automatic return
    # ------------------------------------------------------------

    def test_release_no_followup_at_threshold_and_idempotent(self):
        customer = self._pooled_customers()
        with at(10, -1):
            self.Customer._cron_pool_release()
        self.assertEqual(customer.user_id, self.user_sales_a)
        with at(10, 1):
            self.Customer._cron_pool_release()
            self.Customer._cron_pool_release()
        self.assertFalse(customer.user_id)
        self.assertTrue(customer.in_pool)
        release = self._moves(customer, "release")
        self.assertEqual(len(release), 1)
        self.assertEqual(release.kind, "pool")
        self.assertEqual(release.user_from_id, self.user_sales_a)
        self.assertEqual(release.pool_id, self.pool)

    def test_release_not_won_despite_followups(self):
        customer = self._pooled_customers()
        with at(29):
            self.Followup.create(self._followup_vals(customer))
        with at(30, -1):
            self.Customer._cron_pool_release()
        self.assertFalse(customer.in_pool)
        with at(30, 1):
            self.Customer._cron_pool_release()
        self.assertTrue(customer.in_pool)

    def test_release_per_grade_rule(self):
        customer = self._pooled_customers(grade="a")
        with at(10, 1):
            self.Customer._cron_pool_release()
        self.assertFalse(customer.in_pool)
        with at(20, 1):
            self.Customer._cron_pool_release()
        self.assertTrue(customer.in_pool)

    def test_won_and_locked_never_released(self):
        won, locked = self._pooled_customers(2)
        won.action_set_intent()
        won.action_set_won(contract_number="P-1", date_won="2026-03-03")
        locked.with_user(self.user_sales_a).action_pool_lock()
        with at(100):
            self.Customer._cron_pool_release()
        self.assertFalse(won.in_pool)
        self.assertFalse(locked.in_pool)
        self.assertEqual(len(self._moves(locked, "lock")), 1)

    def test_warning_before_release(self):
        customer = self._pooled_customers()
        with at(7, -1):
            self.Customer._cron_pool_release()
        self.assertFalse(self.pool.activity_ids)
        with at(7, 1):
            self.Customer._cron_pool_release()
            self.Customer._cron_pool_release()
        warning = self.pool.activity_ids
        self.assertEqual(len(warning), 1)
        self.assertEqual(warning.user_id, self.user_sales_a)
        self.assertIn(customer.name, str(warning.note))
        self.assertTrue(customer.release_warned)
        self.assertFalse(customer.in_pool)

    # ------------------------------------------------------------
    # extension
    # ------------------------------------------------------------

    def test_extension_request_and_approval(self):
        customer = self._pooled_customers()
        Extension = self.env["crm.customer.pool.extension"]
        with self.assertRaisesRegex(UserError, "Only the owner"):
            Extension.with_user(self.user_sales_b).create({"customer_id": customer.id, "days": 5, "reason": "mine"})
        with at(8):
            form = Form(Extension.with_user(self.user_sales_a).with_context(default_customer_id=customer.id))
            form.days = 15
            form.reason = "Contract under negotiation"
            request = form.save()
            with self.assertRaises(AccessError):
                request.with_user(self.user_sales_a).action_approve()
            self.assertIn(self.user_manager, self.env["mail.activity"].search(
                [("res_model", "=", request._name), ("res_id", "=", request.id)]).user_id)
            request.with_user(self.user_manager).action_approve()
        self.assertEqual(request.state, "approved")
        self.assertEqual(str(customer.extension_until), "2026-03-25")
        self.assertEqual(len(self._moves(customer, "extension")), 1)
        with at(22):
            self.Customer._cron_pool_release()
        self.assertFalse(customer.in_pool)
        with at(23, 60 * 60 * 20):
            self.Customer._cron_pool_release()
        self.assertTrue(customer.in_pool)
        with self.assertRaisesRegex(UserError, "already been decided"):
            request.with_user(self.user_manager).action_refuse()

    def test_extension_refused(self):
        customer = self._pooled_customers()
        request = self.env["crm.customer.pool.extension"].with_user(self.user_sales_a).create(
            {"customer_id": customer.id, "days": 5, "reason": "please"}
        )
        request.with_user(self.user_manager).action_refuse()
        self.assertEqual(request.state, "refused")
        self.assertFalse(customer.extension_until)

    # ------------------------------------------------------------
    # lock
    # ------------------------------------------------------------

    def test_lock_limit(self):
        self.env["ir.config_parameter"].sudo().set_param("crm_customer_template.pool_lock_limit", 1)
        first, second = self._pooled_customers(2)
        first.with_user(self.user_sales_a).action_pool_lock()
        self.assertTrue(first.is_locked)
        with self.assertRaisesRegex(UserError, "at most 1"):
            second.with_user(self.user_sales_a).action_pool_lock()
        with self.assertRaises(AccessError):
            second.with_user(self.user_sales_b).action_pool_lock()
        with self.assertRaisesRegex(UserError, "pool actions"):
            second.with_user(self.user_sales_a).write({"is_locked": True})
        first.with_user(self.user_sales_a).action_pool_unlock()
        second.with_user(self.user_sales_a).action_pool_lock()
        self.assertEqual((first | second).mapped("is_locked"), [False, True])

    # ------------------------------------------------------------
    # claim
    # ------------------------------------------------------------

    def test_claim_member_only_and_visibility(self):
        customers = self._pooled_customers(2)
        self._release_now(customers[0])
        as_b = self.Customer.with_user(self.user_sales_b)
        self.assertEqual(as_b.search([("id", "in", customers.ids)]), customers[0])
        self.assertFalse(self.Customer.with_user(self.user_outsider).search([("id", "in", customers.ids)]))
        with self.assertRaises(AccessError):
            customers[0].with_user(self.user_outsider).action_pool_claim()
        # a member reads the pool customer but cannot edit it
        with self.assertRaises(AccessError):
            customers[0].with_user(self.user_sales_b).write({"city": "上海"})
        customers[0].with_user(self.user_sales_b).action_pool_claim()
        self.assertEqual(customers[0].user_id, self.user_sales_b)
        self.assertFalse(customers[0].in_pool)
        claim = self._moves(customers[0], "claim")
        self.assertEqual((claim.user_to_id, claim.user_id), (self.user_sales_b, self.user_sales_b))
        with self.assertRaisesRegex(UserError, "no longer in the pool"):
            customers[0].with_user(self.user_sales_a).action_pool_claim()

    def test_claim_daily_limit(self):
        customers = self._pooled_customers(4)
        self._release_now(customers)
        with at(1):
            customers[:2].with_user(self.user_sales_b).action_pool_claim()
            with self.assertRaisesRegex(UserError, "Daily claim limit"):
                customers[2].with_user(self.user_sales_b).action_pool_claim()
        with at(2):
            customers[2].with_user(self.user_sales_b).action_pool_claim()
        self.assertEqual(customers[:3].user_id, self.user_sales_b)

    def test_claim_ownership_cap(self):
        self._create_customers(4, user_id=self.user_sales_b.id)
        pooled = self._pooled_customers(2)
        self._release_now(pooled)
        pooled[0].with_user(self.user_sales_b).action_pool_claim()
        with self.assertRaisesRegex(UserError, "at most 5"):
            pooled[1].with_user(self.user_sales_b).action_pool_claim()

    def test_claim_cooldown_for_previous_owner(self):
        customer = self._pooled_customers()
        with at(10, 1):
            self.Customer._cron_pool_release()
        self.assertTrue(customer.in_pool)
        with at(17):
            with self.assertRaisesRegex(UserError, "cannot claim it again"):
                customer.with_user(self.user_sales_a).action_pool_claim()
        with at(17, 2):
            customer.with_user(self.user_sales_a).action_pool_claim()
        self.assertEqual(customer.user_id, self.user_sales_a)

    # ------------------------------------------------------------
    # assign / transfer / manual release
    # ------------------------------------------------------------

    def test_assign_and_transfer_with_reason(self):
        pooled, owned = self._pooled_customers(2)
        self._release_now(pooled)
        with self.assertRaises(AccessError):
            pooled.with_user(self.user_sales_a)._pool_assign(self.user_sales_a, "me")
        wizard = Form(self.env["crm.customer.assign"].with_user(self.user_manager).with_context(
            default_customer_ids=(pooled | owned).ids))  # fmt: skip
        wizard.user_id = self.user_sales_b
        wizard.reason = "Regional reorganisation"
        wizard.save().action_apply()
        self.assertEqual((pooled | owned).user_id, self.user_sales_b)
        assign = self._moves(pooled, "assign")
        transfer = self._moves(owned, "transfer")
        self.assertEqual((assign.kind, assign.evidence), ("pool", "Regional reorganisation"))
        self.assertEqual((transfer.kind, transfer.user_from_id, transfer.user_to_id),
                         ("owner", self.user_sales_a, self.user_sales_b))  # fmt: skip

    def test_manual_release_and_owner_edit_logged(self):
        customer, other = self._pooled_customers(2)
        customer.with_user(self.user_sales_a).action_pool_release()
        self.assertTrue(customer.in_pool)
        with self.assertRaises(AccessError):
            other.with_user(self.user_sales_b).action_pool_release()
        other.with_user(self.user_manager).write({"user_id": self.user_sales_b.id})
        row = self.Ledger.search([("customer_id", "=", other.id), ("kind", "=", "owner")])
        self.assertEqual((row.user_from_id, row.user_to_id), (self.user_sales_a, self.user_sales_b))
        with self.assertRaisesRegex(ValidationError, "Owner"):
            other.write({"user_id": False})
        with self.assertRaisesRegex(UserError, "claimed or assigned"):
            customer.write({"user_id": self.user_sales_b.id})

    def test_team_pool_by_default_and_kept_in_pool(self):
        team = self.env["crm.team"].create({"name": "Pool team", "member_ids": [Command.set([self.user_sales_b.id])]})
        team_pool = self.env["crm.customer.pool"].create({"name": "Team pool", "team_id": team.id})
        self.env["crm.customer.pool"].create({"name": "Company default pool"})
        customer = self._create_customers(1, user_id=self.user_sales_b.id)
        self.assertEqual(customer.pool_id, team_pool)
        self._release_now(customer)
        self.assertFalse(customer.team_id)
        self.assertEqual(customer.pool_id, team_pool, "a returned customer stays in its own pool")

    def test_pool_cron_declared(self):
        cron = self.env.ref("crm_customer_template.ir_cron_crm_customer_pool_release")
        self.assertEqual(cron.code, "model._cron_pool_release()")
