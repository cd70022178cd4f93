# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Security review: Odoo reads a many2one's name as superuser, so a wizard a
salesperson may create must not accept a customer they cannot read, or
reading it back gives that customer's name."""

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .access_common import CrmCustomerAccessCommon


@tagged("post_install", "-at_install", "crm_customer_access")
class TestReviewWizardNames(CrmCustomerAccessCommon):
    def _assert_no_name(self, model, vals, fname="customer_id"):
        Model = self.env[model].with_user(self.user_sales_a)
        try:
            with self.cr.savepoint():
                record = Model.create(vals)
                value = record.read([fname])[0][fname]
        except AccessError:
            return
        self.assertNotIn("Beta Trading", str(value), f"{model} gave the name")

    def test_reveal_wizard_of_a_foreign_customer(self):
        self._assert_no_name(
            "crm.customer.reveal", {"customer_id": self.customer_b.id, "reason": "x"}
        )

    def test_win_line_of_a_foreign_customer(self):
        wizard = self.env["crm.customer.win"].with_user(self.user_sales_a).create({})
        self._assert_no_name("crm.customer.win.line", {
            "wizard_id": wizard.id, "customer_id": self.customer_b.id, "contract_number": "X",
        })  # fmt: skip

    def test_win_wizard_defaults_of_a_foreign_customer(self):
        Win = self.env["crm.customer.win"].with_user(self.user_sales_a).with_context(
            active_model="crm.customer", active_ids=[self.customer_a.id, self.customer_b.id]
        )
        result = Win.onchange({}, [], {"line_ids": {"fields": {"customer_id": {"fields": {"display_name": {}}}}}})
        self.assertNotIn("Beta Trading", str(result))

    def test_own_customer_still_fine(self):
        record = self.env["crm.customer.reveal"].with_user(self.user_sales_a).create(
            {"customer_id": self.customer_a.id, "reason": "x"}
        )
        self.assertEqual(record.read(["customer_id"])[0]["customer_id"][1], "Alpha Tech Co.")

    def test_followup_onchange_with_a_foreign_default(self):
        Followup = self.env["crm.customer.followup"].with_user(self.user_sales_a).with_context(
            default_customer_id=self.customer_b.id
        )
        try:
            result = Followup.onchange({}, [], {"customer_id": {"fields": {"display_name": {}}}})
        except AccessError:
            return
        self.assertNotIn("Beta Trading", str(result))
