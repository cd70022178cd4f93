# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from odoo import http
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException

from .access_common import PHONE_A, CrmCustomerAccessCommon

MASKED_A = "138****5678"


@tagged("post_install", "-at_install", "crm_customer_access")
class TestMaskingHttp(HttpCase, CrmCustomerAccessCommon):
    """What reaches a browser or an RPC client of a user without the right."""

    def _export_csv(self, fields, ids):
        params = {
            "model": "crm.customer",
            "fields": [{"name": name, "label": name} for name in fields],
            "ids": ids,
            "domain": [],
            "groupby": [],
            "import_compat": False,
        }
        return self.url_open(
            "/web/export/csv",
            data={"data": json.dumps(params), "csrf_token": http.Request.csrf_token(self)},
        )

    def test_export_controller_masks(self):
        self.authenticate("acc_leader", "acc_leader")
        response = self._export_csv(["name", "phone_masked"], self.customer_a.ids)
        self.assertEqual(response.status_code, 200)
        body = response.content.decode()
        self.assertIn(MASKED_A, body)
        self.assertIn("Alpha Tech Co.", body)
        self.assertNotIn(PHONE_A, body)
        log = self.env["crm.customer.log"].search(
            [("operation", "=", "export"), ("user_id", "=", self.user_leader.id)]
        )
        self.assertEqual(log.row_count, 1)
        # asking for the clear field is refused, and the refusal carries no number
        response = self._export_csv(["name", "phone"], self.customer_a.ids)
        self.assertNotIn(PHONE_A, response.content.decode())
        self.assertNotIn("Alpha Tech Co.", response.content.decode())
        # records of others cannot be exported at all
        response = self._export_csv(["name", "phone_masked"], self.customer_b.ids)
        self.assertNotIn("Beta Trading Co.", response.content.decode())

    def test_reveal_over_rpc_logs_ip(self):
        self.user_revealer.write(
            {
                "groups_id": [
                    (4, self.env.ref("crm_customer_template.group_crm_customer_team_leader").id)
                ]
            }
        )
        self.team.write({"crm_team_member_ids": [(0, 0, {"user_id": self.user_revealer.id})]})
        self.authenticate("acc_revealer", "acc_revealer")

        def call(model, method, args, kwargs=None):
            return self.make_jsonrpc_request(
                f"/web/dataset/call_kw/{model}/{method}",
                {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
            )

        record = call(
            "crm.customer",
            "web_read",
            [self.customer_a.ids],
            {"specification": {"phone_masked": {}}},
        )
        self.assertEqual(record[0]["phone_masked"], MASKED_A)
        wizard_id = call(
            "crm.customer.reveal",
            "create",
            [{"customer_id": self.customer_a.id, "reason": "Call back"}],
        )
        action = call("crm.customer.reveal", "action_reveal", [[wizard_id]])
        self.assertEqual(action["params"]["message"], PHONE_A)
        log = self.env["crm.customer.log"].search([("operation", "=", "reveal")])
        self.assertEqual(
            (log.user_id, log.ip_address, log.reason),
            (self.user_revealer, "127.0.0.1", "Call back"),
        )

    def test_login_is_logged(self):
        self.make_jsonrpc_request(
            "/web/session/authenticate",
            {"db": self.env.cr.dbname, "login": "acc_sales_b", "password": "acc_sales_b"},
        )
        log = self.env["crm.customer.log"].search(
            [("operation", "=", "login"), ("user_id", "=", self.user_sales_b.id)]
        )
        self.assertEqual(len(log), 1)
        self.assertEqual(log.ip_address, "127.0.0.1")

    def test_export_controller_owner_with_restriction(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "crm_customer_template.restrict_owner_full_contact", "True"
        )
        self.authenticate("acc_sales_a", "acc_sales_a")
        body = self._export_csv(["name", "phone_masked"], self.customer_a.ids).content.decode()
        self.assertIn(MASKED_A, body)
        self.assertNotIn(PHONE_A, body)

    def test_web_client_rpc_masks(self):
        self.authenticate("acc_leader", "acc_leader")
        result = self.make_jsonrpc_request(
            "/web/dataset/call_kw/crm.customer/web_search_read",
            {
                "model": "crm.customer",
                "method": "web_search_read",
                "args": [[["id", "=", self.customer_a.id]]],
                "kwargs": {"specification": {"name": {}, "phone_masked": {}}},
            },
        )
        self.assertEqual(result["records"][0]["phone_masked"], MASKED_A)
        self.assertNotIn(PHONE_A, json.dumps(result))
        with self.assertRaises(JsonRpcException) as refusal:
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/crm.customer/web_read",
                {
                    "model": "crm.customer",
                    "method": "web_read",
                    "args": [self.customer_a.ids],
                    "kwargs": {"specification": {"phone": {}}},
                },
            )
        self.assertNotIn(PHONE_A, str(refusal.exception))
        # the form view served to this user has no clear field
        views = self.make_jsonrpc_request(
            "/web/dataset/call_kw/crm.customer/get_views",
            {
                "model": "crm.customer",
                "method": "get_views",
                "args": [],
                "kwargs": {"views": [[False, "form"], [False, "list"]]},
            },
        )
        self.assertNotIn('name="phone"', views["views"]["form"]["arch"])
        self.assertIn('name="phone_masked"', views["views"]["form"]["arch"])
        self.assertNotIn("phone", views["models"]["crm.customer"]["fields"])

    def test_external_json_rpc_masks(self):
        db = self.env.cr.dbname

        def call(service, method, *args):
            return self.make_jsonrpc_request(
                "/jsonrpc", {"service": service, "method": method, "args": list(args)}
            )

        uid = call("common", "login", db, "acc_leader", "acc_leader")
        self.assertEqual(uid, self.user_leader.id)
        rows = call(
            "object",
            "execute_kw",
            db,
            uid,
            "acc_leader",
            "crm.customer",
            "search_read",
            [[["id", "in", (self.customer_a | self.customer_b).ids]]],
            {"fields": ["name", "phone_masked"]},
        )
        self.assertEqual(
            [(r["name"], r["phone_masked"]) for r in rows], [("Alpha Tech Co.", MASKED_A)]
        )
        # search by the full number finds what the user may see, and only that
        found = call(
            "object",
            "execute_kw",
            db,
            uid,
            "acc_leader",
            "crm.customer",
            "search",
            [[["phone", "=", PHONE_A]]],
        )
        self.assertEqual(found, self.customer_a.ids)
        with self.assertRaises(JsonRpcException) as refusal:
            call(
                "object",
                "execute_kw",
                db,
                uid,
                "acc_leader",
                "crm.customer",
                "read",
                [self.customer_a.ids],
                {"fields": ["phone"]},
            )
        self.assertNotIn(PHONE_A, str(refusal.exception))
        with self.assertRaises(JsonRpcException):
            call(
                "object",
                "execute_kw",
                db,
                uid,
                "acc_leader",
                "crm.customer",
                "read",
                [self.customer_a.ids],
                {"fields": ["phone_encrypted"]},
            )
        # a default read (all readable fields) carries the masked value only
        full = call(
            "object",
            "execute_kw",
            db,
            uid,
            "acc_leader",
            "crm.customer",
            "read",
            [self.customer_a.ids],
        )
        self.assertNotIn(PHONE_A, json.dumps(full))
        self.assertEqual(full[0]["phone_masked"], MASKED_A)

    def test_reveal_tour(self):
        """The reveal flow in the browser, as a team leader with the reveal right."""
        self.user_revealer.write(
            {
                "groups_id": [
                    (4, self.env.ref("crm_customer_template.group_crm_customer_team_leader").id)
                ]
            }
        )
        self.team.write({"crm_team_member_ids": [(0, 0, {"user_id": self.user_revealer.id})]})
        self.start_tour(
            f"/odoo/action-crm_customer_template.crm_customer_action/{self.customer_a.id}",
            "crm_customer_reveal_tour",
            login="acc_revealer",
        )
        log = self.env["crm.customer.log"].search([("operation", "=", "reveal")])
        self.assertEqual(log.user_id, self.user_revealer)
        self.assertEqual(log.reason, "The customer asked to be called back")
        self.assertEqual(log.ip_address, "127.0.0.1")
