# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import time

from odoo.tests import tagged

from .common import CrmCustomerCommon

_logger = logging.getLogger(__name__)

BATCH_SIZE = 10000


@tagged("post_install", "-at_install", "crm_customer_lifecycle", "crm_customer_perf")
class TestTransitionPerformance(CrmCustomerCommon):
    def test_batch_transition_10k(self):
        """10,000 customers move potential → intent → lost in seconds: one
        write of state, one ledger create and one batch of chatter logs."""
        customers = self.Customer.with_context(tracking_disable=True).create(
            [self._customer_vals(index) for index in range(BATCH_SIZE)]
        )
        self.env.flush_all()
        reason = self.env.ref("crm_customer_template.crm_customer_lost_reason_price")
        timings = {}
        for label, move in (
            ("intent", lambda recs: recs.action_set_intent()),
            ("lost", lambda recs: recs.action_set_lost(lost_reason_id=reason.id)),
        ):
            self.env.invalidate_all()
            start = time.perf_counter()
            move(customers)
            self.env.flush_all()
            timings[label] = time.perf_counter() - start
        _logger.info(
            "batch transition of %s customers: intent %.2fs, lost %.2fs",
            BATCH_SIZE,
            timings["intent"],
            timings["lost"],
        )
        print(f"\nbatch transition of {BATCH_SIZE} customers: " + ", ".join(f"{k} {v:.2f}s" for k, v in timings.items()))
        ledger = self.env["crm.customer.ledger"].search_count(
            [("customer_id", "in", customers.ids), ("kind", "=", "state")]
        )
        self.assertEqual(ledger, 2 * BATCH_SIZE)
        self.assertEqual(set(customers.mapped("state")), {"lost"})
        messages = self.env["mail.message"].search_count(
            [("model", "=", "crm.customer"), ("res_id", "in", customers.ids)]
        )
        self.assertEqual(messages, 2 * BATCH_SIZE)
        for label, seconds in timings.items():
            self.assertLess(seconds, 30, f"{label} took {seconds:.1f}s for {BATCH_SIZE} customers")
