# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import CrmCustomerCommon


@tagged("post_install", "-at_install", "crm_customer_lifecycle")
class TestLifecycleTransitions(CrmCustomerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Ledger = cls.env["crm.customer.ledger"]
        cls.reason_price = cls.env.ref("crm_customer_template.crm_customer_lost_reason_price")

    def _ledger(self, customers):
        return self.Ledger.search([("customer_id", "in", customers.ids), ("kind", "=", "state")])

    # ------------------------------------------------------------
    # allowed moves
    # ------------------------------------------------------------

    def test_full_cycle_as_salesperson(self):
        customer = self._create_customers(1, user_id=self.user_sales_a.id)
        customer_a = customer.with_user(self.user_sales_a)
        customer_a.action_set_intent()
        self.assertEqual(customer.state, "intent")
        customer_a.action_set_won(contract_number=" HT-001 ", date_won="2026-03-01")
        self.assertEqual(customer.state, "won")
        self.assertEqual(customer.contract_number, "HT-001")
        self.assertEqual(customer.date_won, fields.Date.to_date("2026-03-01"))
        customer_a.action_set_lost(lost_reason_id=self.reason_price.id, note="too expensive")
        self.assertEqual(customer.state, "lost")
        self.assertEqual(customer.lost_reason_id, self.reason_price)
        self.assertTrue(customer.date_lost)
        customer_a.action_reactivate_intent()
        self.assertEqual(customer.state, "intent")
        self.assertFalse(customer.lost_reason_id)
        self.assertFalse(customer.date_lost)

        rows = self._ledger(customer).sorted("id")
        self.assertEqual(
            [(r.state_from, r.state_to) for r in rows],
            [("potential", "intent"), ("intent", "won"), ("won", "lost"), ("lost", "intent")],
        )
        self.assertEqual(rows.user_id, self.user_sales_a)
        self.assertEqual(rows[1].evidence, "HT-001")
        self.assertEqual(rows[2].lost_reason_id, self.reason_price)
        self.assertIn("too expensive", rows[2].evidence)
        self.assertEqual(rows.company_id, customer.company_id)
        # readable by the owner through her own rights
        self.assertEqual(self.Ledger.with_user(self.user_sales_a).search([("customer_id", "=", customer.id)]), rows)

    def test_reactivate_to_potential(self):
        customer = self._create_customers(1)
        customer.action_set_lost(lost_reason_id=self.reason_price.id)
        customer.action_reactivate()
        self.assertEqual(customer.state, "potential")
        self.assertEqual(self._ledger(customer)[0].state_to, "potential")

    def test_chatter_tracks_the_transition(self):
        customer = self._create_customers(1)
        customer.action_set_intent()
        self.env.cr.precommit.run()  # mail.thread posts tracking messages at commit
        customer.invalidate_recordset()
        tracked = customer.message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "state"
        )
        self.assertEqual(len(tracked), 1)
        self.assertEqual(tracked.old_value_char, "Potential")
        self.assertEqual(tracked.new_value_char, "Intent")

    # ------------------------------------------------------------
    # refused moves: clear error, nothing changed
    # ------------------------------------------------------------

    def test_invalid_moves_refused(self):
        customer = self._create_customers(1)
        with self.assertRaisesRegex(UserError, "Allowed from"):
            customer.action_set_won(contract_number="HT-X", date_won="2026-01-01")
        with self.assertRaises(UserError):
            customer.action_reactivate()
        customer.action_set_lost(lost_reason_id=self.reason_price.id)
        with self.assertRaises(UserError):
            customer.action_set_lost(lost_reason_id=self.reason_price.id)
        with self.assertRaises(UserError):
            customer.action_set_intent()
        with self.assertRaises(UserError):
            customer.with_context(crm_reactivate_state="won").action_reactivate()
        self.assertEqual(customer.state, "lost")
        self.assertEqual(len(self._ledger(customer)), 1)

    def test_batch_all_or_nothing(self):
        customers = self._create_customers(5)
        customers[2].action_set_intent()
        with self.assertRaisesRegex(UserError, "Nothing was changed"):
            customers.action_set_intent()
        self.assertEqual(customers.mapped("state"), ["potential", "potential", "intent", "potential", "potential"])
        self.assertEqual(len(self._ledger(customers)), 1)
        (customers - customers[2]).action_set_intent()
        self.assertEqual(set(customers.mapped("state")), {"intent"})
        self.assertEqual(len(self._ledger(customers)), 5)

    def test_won_requires_unique_contract_and_date(self):
        first, second, third = self._create_customers(3)
        (first | second | third).action_set_intent()
        with self.assertRaisesRegex(UserError, "contract number"):
            second.action_set_won(contract_number="  ", date_won="2026-01-01")
        with self.assertRaisesRegex(UserError, "deal date"):
            second._set_won({second.id: ("HT-9", False)})
        with self.assertRaisesRegex(ValidationError, "its own contract number"):
            (first | second)._set_won({first.id: ("HT-1", "2026-01-01"), second.id: ("HT-1", "2026-01-01")})
        first.action_set_won(contract_number="HT-1", date_won="2026-01-01")
        with self.assertRaisesRegex(ValidationError, "already used"):
            second.action_set_won(contract_number="HT-1", date_won="2026-01-01")
        self.assertEqual((second | third).mapped("state"), ["intent", "intent"])

    def test_won_contract_unique_across_invisible_customers(self):
        mine = self._create_customers(1, user_id=self.user_sales_a.id)
        theirs = self._create_customers(1, user_id=self.user_sales_b.id)
        (mine | theirs).action_set_intent()
        theirs.action_set_won(contract_number="HT-B-1", date_won="2026-02-02")
        with self.assertRaisesRegex(ValidationError, "already used by another customer"):
            mine.with_user(self.user_sales_a).action_set_won(contract_number="HT-B-1", date_won="2026-02-02")

    def test_lost_requires_reason(self):
        customer = self._create_customers(1)
        with self.assertRaisesRegex(UserError, "lost reason"):
            customer.action_set_lost(lost_reason_id=0)
        action = customer.action_set_lost()
        self.assertEqual(action["res_model"], "crm.customer.lose")
        form = Form(self.env["crm.customer.lose"].with_context(action["context"]))
        with self.assertRaises(AssertionError):
            form.save()  # lost_reason_id is required
        self.assertEqual(customer.state, "potential")

    # ------------------------------------------------------------
    # wizards (Form, as the UI drives them)
    # ------------------------------------------------------------

    def test_win_wizard_batch(self):
        customers = self._create_customers(2, user_id=self.user_sales_a.id)
        customers.action_set_intent()
        action = customers.with_user(self.user_sales_a).action_set_won()
        self.assertEqual(action["res_model"], "crm.customer.win")
        wizard_form = Form(self.env["crm.customer.win"].with_user(self.user_sales_a).with_context(action["context"]))
        self.assertEqual(len(wizard_form.line_ids), 2)
        for index in range(2):
            with wizard_form.line_ids.edit(index) as line:
                line.contract_number = f"W-{index}"
                line.date_won = "2026-04-0%s" % (index + 1)
        wizard_form.save().action_apply()
        self.assertEqual(set(customers.mapped("state")), {"won"})
        self.assertEqual(set(customers.mapped("contract_number")), {"W-0", "W-1"})
        won_rows = self._ledger(customers).filtered(lambda row: row.state_to == "won")
        self.assertEqual(set(won_rows.mapped("evidence")), {"W-0", "W-1"})

    def test_lose_wizard_batch(self):
        customers = self._create_customers(3)
        customers[0].action_set_intent()
        wizard_form = Form(
            self.env["crm.customer.lose"].with_context(active_model="crm.customer", default_customer_ids=customers.ids)
        )
        wizard_form.lost_reason_id = self.reason_price
        wizard_form.note = "budget frozen"
        wizard_form.save().action_apply()
        self.assertEqual(set(customers.mapped("state")), {"lost"})
        rows = self._ledger(customers).filtered(lambda r: r.state_to == "lost")
        self.assertEqual(len(rows), 3)
        self.assertEqual(sorted(rows.mapped("state_from")), ["intent", "potential", "potential"])

    # ------------------------------------------------------------
    # server actions bound to the Action menu
    # ------------------------------------------------------------

    def test_server_actions_bound_to_list(self):
        customers = self._create_customers(3, user_id=self.user_sales_a.id)
        action = self.env.ref("crm_customer_template.action_server_crm_customer_set_intent")
        self.assertEqual(action.binding_model_id.model, "crm.customer")
        self.assertIn("list", action.binding_view_types)
        # what the web client gets for the Action menu of the list
        bindings = self.env["ir.actions.actions"].with_user(self.user_sales_a).get_bindings("crm.customer")
        self.assertIn(action.id, [binding["id"] for binding in bindings["action"]])
        result = action.with_user(self.user_sales_a).with_context(
            active_model="crm.customer", active_ids=customers.ids, active_id=customers[0].id
        ).run()
        # nothing for the web client to open: it closes and reloads the list
        self.assertFalse(result)
        self.assertEqual(set(customers.mapped("state")), {"intent"})
        lost = self.env.ref("crm_customer_template.action_server_crm_customer_set_lost")
        result = lost.with_user(self.user_sales_a).with_context(
            active_model="crm.customer", active_ids=customers.ids, active_id=customers[0].id
        ).run()
        self.assertEqual(result["res_model"], "crm.customer.lose")
        self.assertEqual(result["context"]["default_customer_ids"], customers.ids)

    # ------------------------------------------------------------
    # state is written only by the transitions
    # ------------------------------------------------------------

    def test_plain_state_write_refused_for_every_role(self):
        customer = self._create_customers(1, user_id=self.user_sales_a.id)
        for user in (self.user_sales_a, self.user_manager, self.env.ref("base.user_admin")):
            with self.subTest(user=user.login):
                with self.assertRaisesRegex(UserError, "status actions"):
                    customer.with_user(user).write({"state": "won"})
                # a client cannot open the gate by sending the context key
                with self.assertRaisesRegex(UserError, "status actions"):
                    customer.with_user(user).with_context(crm_customer_transition=True).write({"state": "intent"})
                with self.assertRaisesRegex(UserError, "status actions"):
                    customer.with_user(user).write({"contract_number": "X-1"})
        with self.assertRaisesRegex(UserError, "status actions"):
            customer.sudo().write({"state": "lost"})
        # writing the unchanged state (e.g. an import re-saving a row) is harmless
        customer.with_user(self.user_sales_a).write({"state": "potential", "city": "杭州"})
        self.assertEqual(customer.city, "杭州")
        self.assertEqual(customer.state, "potential")
        self.assertFalse(self._ledger(customer))

    def test_create_in_other_state_refused(self):
        with self.assertRaisesRegex(UserError, "status actions"):
            self._create_customers(1, state="won")
        with self.assertRaisesRegex(UserError, "status actions"):
            self._create_customers(1, contract_number="C-1")
        # a context default (kanban quick create in the Won column) is ignored
        quick = self.Customer.with_context(default_state="won", default_contract_number="Q-1").create(
            self._customer_vals(99)
        )
        self.assertEqual((quick.state, quick.contract_number), ("potential", False))
        customer = self._create_customers(1, state="potential")
        copy = customer.copy()
        self.assertEqual(copy.state, "potential")

    def test_salesperson_cannot_move_others_customer(self):
        theirs = self._create_customers(1, user_id=self.user_sales_b.id)
        with self.assertRaises(AccessError):
            theirs.with_user(self.user_sales_a).action_set_intent()
        self.assertEqual(theirs.state, "potential")
        self.assertFalse(self._ledger(theirs))
        # and cannot read its ledger
        theirs.action_set_intent()
        self.assertFalse(self.Ledger.with_user(self.user_sales_a).search([("customer_id", "=", theirs.id)]))
        self.assertEqual(len(self.Ledger.with_user(self.user_manager).search([("customer_id", "=", theirs.id)])), 1)
        # the leader of B's team sees it; an auditor reads it and cannot write
        leader = new_test_user(self.env, login="crm_ledger_leader",
                               groups="crm_customer_template.group_crm_customer_team_leader")  # fmt: skip
        self.env["crm.team"].create({"name": "Ledger team", "user_id": leader.id,
                                     "member_ids": [Command.set([self.user_sales_b.id])]})  # fmt: skip
        theirs.invalidate_recordset()
        theirs.write({"team_id": self.user_sales_b.sale_team_id.id})
        self.assertEqual(len(self.Ledger.with_user(leader).search([("customer_id", "=", theirs.id)])), 1)
        auditor = new_test_user(self.env, login="crm_ledger_auditor",
                                groups="crm_customer_template.group_crm_customer_auditor")  # fmt: skip
        rows = self.Ledger.with_user(auditor).search([("customer_id", "=", theirs.id)])
        self.assertEqual(len(rows), 1)
        with self.assertRaises(AccessError):
            rows.unlink()

    # ------------------------------------------------------------
    # ledger is append-only
    # ------------------------------------------------------------

    def test_ledger_append_only(self):
        customer = self._create_customers(1, user_id=self.user_sales_a.id)
        customer.action_set_intent()
        row = self._ledger(customer)
        for row_as in (row.with_user(self.user_sales_a), row.with_user(self.user_manager), row.sudo()):
            with self.assertRaisesRegex(UserError, "append-only"):
                row_as.write({"state_to": "won"})
        for row_as in (row.with_user(self.user_sales_a), row.with_user(self.user_manager)):
            with self.assertRaises(AccessError):
                row_as.unlink()
        with self.assertRaisesRegex(UserError, "append-only"):
            row.sudo().unlink()
        with self.assertRaises(AccessError):
            self.Ledger.with_user(self.user_manager).create(
                {"customer_id": customer.id, "kind": "state", "state_to": "won"}
            )
        self.assertEqual(row.state_to, "intent")

    # ------------------------------------------------------------
    # performance
    # ------------------------------------------------------------

    def test_batch_query_count_does_not_grow(self):
        """The transition, chatter tracking included, issues the same number of
        queries for 10 and 40 customers."""
        warm_up = self._create_customers(2)
        small = self._create_customers(10)
        large = self._create_customers(40)
        self.env.flush_all()
        counts = []
        for customers in (warm_up, small, large):
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            customers.action_set_intent()
            self.env.flush_all()
            self.env.cr.precommit.run()
            counts.append(self.cr.sql_log_count - start)
        self.assertEqual(counts[1], counts[2], counts)

    def test_initial_states_backfilled_once(self):
        """Customers created in a status by data files get one dated ledger row."""
        customer = self._create_customers(1)
        self.env.cr.execute("UPDATE crm_customer SET state = 'won' WHERE id = %s", [customer.id])
        customer.invalidate_recordset(["state"])
        self.Ledger._log_initial_states()
        self.Ledger._log_initial_states()
        row = self._ledger(customer)
        self.assertEqual((row.state_from, row.state_to), (False, "won"))
        self.assertEqual(row.date, customer.create_date)
        demo_won = self.env.ref("crm_customer_template.crm_customer_demo_yunfan", False)
        if demo_won and demo_won.state != "potential":
            self.assertTrue(self._ledger(demo_won), "demo data went through the backfill")
