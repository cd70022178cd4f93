# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Security review: the exact look-up of contact data by its keyed hash must
not let a user who sees a number masked recover it by searching with every
candidate number (``138****5678`` leaves 10,000 candidates: a bisection over
``in`` lists finds it in 14 searches)."""

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException

from .access_common import PHONE_A, CrmCustomerAccessCommon


@tagged("post_install", "-at_install", "crm_customer_access")
class TestReviewSearchOracle(CrmCustomerAccessCommon):
    def _bisect(self, user, fname):
        Customer = self.env["crm.customer"].with_user(user)
        masked = self.customer_a.with_user(user)[fname]
        self.assertIn("*", masked)
        candidates = [f"{PHONE_A[:3]}{n:04d}{PHONE_A[-4:]}" for n in range(10000)]
        searches = 0
        while len(candidates) > 1:
            half = candidates[: len(candidates) // 2]
            searches += 1
            found = Customer.search_count(
                [("id", "=", self.customer_a.id), (fname, "in", half)]
            )
            candidates = half if found else candidates[len(candidates) // 2 :]
        return candidates[0], searches

    def test_masked_number_not_recovered_by_bisection(self):
        for user in (self.user_leader, self.user_auditor):
            try:
                recovered, _searches = self._bisect(user, "phone_masked")
            except UserError:
                continue
            self.assertNotEqual(recovered, PHONE_A, f"{user.login} recovered the full number")

    def test_search_by_one_full_number_still_works(self):
        Customer = self.env["crm.customer"].with_user(self.user_leader)
        self.assertEqual(Customer.search([("phone_masked", "=", PHONE_A)]), self.customer_a)
        self.assertEqual(
            Customer.search([("phone_masked", "in", [PHONE_A, "13900000000"])]), self.customer_a
        )


@tagged("post_install", "-at_install", "crm_customer_access")
class TestReviewSearchOracleHttp(HttpCase, CrmCustomerAccessCommon):
    def _count(self, domain):
        return self.make_jsonrpc_request("/web/dataset/call_kw/crm.customer/search_count", {
            "model": "crm.customer", "method": "search_count", "args": [domain], "kwargs": {},
        })  # fmt: skip

    def test_many_conditions_in_one_request_refused(self):
        """One RPC with the candidates as many OR-ed conditions (each under the
        per-condition cap) is refused too."""
        self.authenticate("acc_leader", "acc_leader")
        candidates = [f"{PHONE_A[:3]}{n:04d}{PHONE_A[-4:]}" for n in range(1200, 1240)]
        conditions = [("phone_masked", "in", candidates[i : i + 4]) for i in range(0, 40, 4)]
        domain = [("id", "=", self.customer_a.id)] + ["|"] * (len(conditions) - 1) + conditions
        with self.assertRaises(JsonRpcException):
            self._count(domain)
        # one number, as typed in the search bar, still finds the record
        self.assertEqual(self._count([("phone_masked", "=", PHONE_A)]), 1)
