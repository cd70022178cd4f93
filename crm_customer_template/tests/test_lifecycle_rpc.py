# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The status and the server actions through real JSON-RPC, as the web client
and external clients call them."""
import json

from odoo.tests import HttpCase, JsonRpcException, tagged

from .common import CrmCustomerCommon


@tagged("post_install", "-at_install", "crm_customer_lifecycle")
class TestLifecycleRpc(HttpCase, CrmCustomerCommon):
    def _call_kw(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def _call_kw_error(self, model, method, args, kwargs=None):
        """The error a JSON-RPC call returns (its name and message)."""
        payload = {"jsonrpc": "2.0", "method": "call", "id": 1,
                   "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}}}  # fmt: skip
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}", json.dumps(payload).encode(),
            headers={"Content-Type": "application/json"},
        )  # fmt: skip
        error = response.json().get("error")
        self.assertTrue(error, "the call must fail")
        return error["data"]["name"], error["data"]["message"]

    def test_rpc_write_of_state_refused_for_every_role(self):
        customer = self._create_customers(1, user_id=self.user_sales_a.id)
        for login in ("crm_sales_a", "crm_manager", "admin"):
            with self.subTest(login=login):
                self.authenticate(login, login)
                for context in ({}, {"crm_customer_transition": True}, {"install_module": "crm_customer_template"}):
                    name, message = self._call_kw_error(
                        "crm.customer", "write", [[customer.id], {"state": "won"}], {"context": context}
                    )
                    self.assertEqual(name, "odoo.exceptions.UserError")
                    self.assertIn("status actions", message)
                with self.assertRaises(JsonRpcException):
                    self._call_kw("crm.customer", "create", [[self._customer_vals(7, state="won")]])
        self.assertEqual(customer.state, "potential")
        self.assertFalse(self.env["crm.customer.ledger"].search([("customer_id", "=", customer.id)]))

    def test_rpc_button_and_action_menu(self):
        customers = self._create_customers(2, user_id=self.user_sales_a.id)
        self.authenticate("crm_sales_a", "crm_sales_a")
        # the form button
        self.make_jsonrpc_request(
            "/web/dataset/call_button",
            {"model": "crm.customer", "method": "action_set_intent", "args": [[customers[0].id]], "kwargs": {}},
        )
        self.assertEqual(customers[0].state, "intent")
        # the list's Action menu: the bound server action on the selection
        action = self.env.ref("crm_customer_template.action_server_crm_customer_set_intent")
        result = self.make_jsonrpc_request(
            "/web/action/run",
            {"action_id": action.id,
             "context": {"active_model": "crm.customer", "active_ids": [customers[1].id], "active_id": customers[1].id}},
        )  # fmt: skip
        self.assertFalse(result)
        self.assertEqual(customers[1].state, "intent")
        lost = self.env.ref("crm_customer_template.action_server_crm_customer_set_lost")
        wizard_action = self.make_jsonrpc_request(
            "/web/action/run",
            {"action_id": lost.id, "context": {"active_model": "crm.customer", "active_ids": customers.ids}},
        )
        self.assertEqual(wizard_action["res_model"], "crm.customer.lose")
        rows = self.env["crm.customer.ledger"].search([("customer_id", "in", customers.ids)])
        self.assertEqual(len(rows), 2)
        self.assertEqual(rows.user_id, self.user_sales_a)
