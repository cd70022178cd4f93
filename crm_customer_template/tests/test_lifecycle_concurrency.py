# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Two real transactions changing the same customer at once.

The data must be committed for a second cursor to see it, so these tests
commit through their own cursors and delete what they created afterwards.
"""
from psycopg2 import errors as pg_errors

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install", "crm_customer_lifecycle")
class TestTransitionConcurrency(TransactionCase):
    def _committed_customer(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            customer = env["crm.customer"].create(
                {
                    "name": "并发测试客户 Concurrency Co.",
                    "industry_id": env.ref("base.res_partner_industry_J").id,
                    "contact_name": "王五",
                    "phone": "13912345678",
                }
            )
            customer_id = customer.id
        self.addCleanup(self._delete_customer, customer_id)
        return customer_id

    def _delete_customer(self, customer_id):
        with self.registry.cursor() as cr:
            api.Environment(cr, SUPERUSER_ID, {})["crm.customer"].browse(customer_id).unlink()

    def _final(self, customer_id):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            customer = env["crm.customer"].browse(customer_id)
            rows = env["crm.customer.ledger"].search(
                [("customer_id", "=", customer_id), ("kind", "=", "state")], order="id"
            )
            return customer.state, [(row.state_from, row.state_to) for row in rows]

    def test_concurrent_transition_one_wins_other_fails_cleanly(self):
        customer_id = self._committed_customer()
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            reason = env2.ref("crm_customer_template.crm_customer_lost_reason_price")
            # transaction 1 moves the customer and holds the row lock
            env1["crm.customer"].browse(customer_id).action_set_intent()
            env1.flush_all()
            # transaction 2 tries at the same time: refused at once, nothing written
            with self.assertRaisesRegex(UserError, "Another user is changing"):
                env2["crm.customer"].browse(customer_id).action_set_lost(lost_reason_id=reason.id)
            cr2.rollback()
            cr1.commit()
            # retried afterwards, transaction 2 sees the committed state
            env2.invalidate_all()
            env2["crm.customer"].browse(customer_id).action_set_lost(lost_reason_id=reason.id)
            cr2.commit()
        state, rows = self._final(customer_id)
        self.assertEqual(state, "lost")
        self.assertEqual(rows, [("potential", "intent"), ("intent", "lost")])

    @mute_logger("odoo.sql_db")
    def test_concurrent_transition_after_commit_is_a_serialization_failure(self):
        """Transaction 2 started before transaction 1 committed: locking the
        row raises a serialization failure, which Odoo's RPC layer retries
        (the retry then sees the new state); nothing of transaction 2 stays."""
        customer_id = self._committed_customer()
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            # transaction 2 takes its snapshot
            self.assertEqual(env2["crm.customer"].browse(customer_id).state, "potential")
            env1["crm.customer"].browse(customer_id).action_set_intent()
            cr1.commit()
            with self.assertRaises(pg_errors.SerializationFailure):
                env2["crm.customer"].browse(customer_id).action_set_intent()
            cr2.rollback()
            # the retry (new snapshot) gets a clean, translated refusal
            env2.invalidate_all()
            with self.assertRaisesRegex(UserError, "Allowed from"):
                env2["crm.customer"].browse(customer_id).action_set_intent()
            cr2.rollback()
        state, rows = self._final(customer_id)
        self.assertEqual(state, "intent")
        self.assertEqual(rows, [("potential", "intent")])
