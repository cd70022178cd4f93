# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .access_common import PHONE_A, CrmCustomerAccessCommon


@tagged("post_install", "-at_install", "crm_customer_access")
class TestChangeRequest(CrmCustomerAccessCommon):
    def _request_by_leader(self, vals):
        self.customer_a.with_user(self.user_leader).write(vals)
        return self.env["crm.customer.change.request"].search(
            [("customer_id", "=", self.customer_a.id), ("state", "=", "pending")]
        )

    def test_non_owner_change_becomes_request(self):
        requests = self._request_by_leader(
            {"contact_name": "Zhao Lei", "phone": "13900005555", "grade": "a"}
        )
        # the other values are written, key information is not
        self.assertEqual(self.customer_a.grade, "a")
        self.assertEqual(self.customer_a.contact_name, "Zhang Wei")
        self.assertEqual(self.customer_a.phone, PHONE_A)
        self.assertEqual(sorted(requests.mapped("field_name")), ["contact_name", "phone"])
        phone_request = requests.filtered(lambda r: r.field_name == "phone")
        self.assertEqual(phone_request.old_value_masked, "138****5678")
        self.assertEqual(phone_request.requester_id, self.user_leader)
        # the new number is encrypted at rest and masked for readers without the right
        self.assertEqual(phone_request.with_user(self.user_leader).new_value_masked, "139****5555")
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT count(*) FROM crm_customer_change_request WHERE row_to_json(crm_customer_change_request)::text LIKE '%%13900005555%%'"
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        self.assertEqual(self.customer_a.with_user(self.user_sales_a).change_request_count, 2)
        # the owner sees the full new number to decide on it
        self.assertEqual(phone_request.with_user(self.user_sales_a).new_value_masked, "13900005555")

    def test_owner_approves(self):
        requests = self._request_by_leader({"contact_name": "Zhao Lei", "phone": "13900005555"})
        # the requester cannot approve their own request
        self.assertFalse(any(requests.with_user(self.user_leader).mapped("can_decide")))
        with self.assertRaises(AccessError), self.cr.savepoint():
            requests.with_user(self.user_leader).action_approve()
        # nor can someone who cannot see the customer
        with self.assertRaises(AccessError), self.cr.savepoint():
            requests.with_user(self.user_sales_b).action_approve()
        requests.with_user(self.user_sales_a).action_approve()
        self.assertEqual(self.customer_a.contact_name, "Zhao Lei")
        self.assertEqual(self.customer_a.phone, "13900005555")
        self.assertEqual(set(requests.mapped("state")), {"approved"})
        self.assertEqual(requests.mapped("decided_by_id"), self.user_sales_a)
        logs = self.env["crm.customer.log"].search(
            [
                ("operation", "=", "change_request"),
                ("customer_id", "=", self.customer_a.id),
                ("description", "=", "Approved"),
            ]
        )
        self.assertEqual(len(logs), 2)
        messages = self.customer_a.message_ids.filtered(lambda m: "approved" in (m.body or ""))
        self.assertEqual(len(messages), 2)
        self.assertNotIn("13900005555", " ".join(self.customer_a.message_ids.mapped("body")))
        with self.assertRaises(UserError), self.cr.savepoint():
            requests.with_user(self.user_manager).action_approve()

    def test_manager_refuses_with_reason(self):
        request = self._request_by_leader({"contact_name": "Zhao Lei"})
        with self.assertRaisesRegex(UserError, "reason"), self.cr.savepoint():
            request.with_user(self.user_manager).action_refuse()
        request.with_user(self.user_manager).write(
            {"refuse_reason": "Not confirmed by the customer"}
        )
        request.with_user(self.user_manager).action_refuse()
        self.assertEqual(request.state, "refused")
        self.assertEqual(self.customer_a.contact_name, "Zhang Wei")
        log = self.env["crm.customer.log"].search(
            [("operation", "=", "change_request"), ("description", "=", "Refused")]
        )
        self.assertEqual(log.reason, "Not confirmed by the customer")
        # decided requests cannot be edited back
        with self.assertRaises(UserError), self.cr.savepoint():
            request.with_user(self.user_manager).write({"state": "pending"})

    def test_owner_and_manager_write_directly(self):
        self.customer_a.with_user(self.user_sales_a).write({"contact_name": "Owner Edit"})
        self.customer_a.with_user(self.user_manager).write({"phone": "13900006666"})
        self.assertEqual(self.customer_a.contact_name, "Owner Edit")
        self.assertEqual(self.customer_a.phone, "13900006666")
        self.assertFalse(self.env["crm.customer.change.request"].search([]))

    def test_requests_follow_customer_visibility(self):
        self._request_by_leader({"contact_name": "Zhao Lei"})
        Request = self.env["crm.customer.change.request"]
        self.assertTrue(Request.with_user(self.user_sales_a).search([]))
        self.assertFalse(Request.with_user(self.user_sales_b).search([]))
        self.assertTrue(Request.with_user(self.user_auditor).search([]))

    def test_forged_request_starts_pending(self):
        request = (
            self.env["crm.customer.change.request"]
            .with_user(self.user_sales_a)
            .create(
                {
                    "customer_id": self.customer_a.id,
                    "field_name": "contact_name",
                    "new_value": "Forged",
                    "state": "approved",
                    "decided_by_id": self.user_manager.id,
                }
            )
        )
        self.assertEqual((request.state, request.decided_by_id.id), ("pending", False))
        self.assertEqual(self.customer_a.contact_name, "Zhang Wei")
        # a user who cannot write the customer cannot file a request on it
        with self.assertRaises(AccessError), self.cr.savepoint():
            self.env["crm.customer.change.request"].with_user(self.user_sales_b).create(
                {"customer_id": self.customer_a.id, "field_name": "contact_name", "new_value": "X"}
            )
