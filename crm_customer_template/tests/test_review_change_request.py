# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Security review: a change request's "old value" is the masked number,
whoever asks (it is stored in clear, shown to the owner and posted in the
customer's chatter)."""

from odoo.tests import tagged

from .access_common import PHONE_A, CrmCustomerAccessCommon


@tagged("post_install", "-at_install", "crm_customer_access")
class TestReviewChangeRequest(CrmCustomerAccessCommon):
    def test_old_value_masked_for_a_requester_with_the_right(self):
        """A team leader who holds the full-contact right asks to change the
        phone of a team member's customer: the old number must not be kept
        in clear in the request nor posted in the chatter."""
        group = self.env.ref("crm_customer_template.group_crm_customer_full_contact")
        self.user_leader.write({"groups_id": [(4, group.id)]})
        self.env["ir.config_parameter"].sudo().set_param(
            "crm_customer_template.restrict_owner_full_contact", "True"
        )
        self.customer_a.with_user(self.user_leader).write({"phone": "13900001111"})
        request = self.env["crm.customer.change.request"].search(
            [("customer_id", "=", self.customer_a.id)]
        )
        self.assertEqual(len(request), 1)
        self.assertNotIn(PHONE_A, request.old_value_masked or "")
        # what the owner (full numbers restricted) reads of it
        owner_view = request.with_user(self.user_sales_a).read(["old_value_masked"])[0]
        self.assertNotIn(PHONE_A, owner_view["old_value_masked"] or "")
        bodies = " ".join(self.customer_a.message_ids.mapped("body"))
        self.assertNotIn(PHONE_A, bodies)
        # the request still applies when approved
        request.with_user(self.user_sales_a).action_approve()
        self.assertEqual(self.customer_a.sudo().phone, "13900001111")
