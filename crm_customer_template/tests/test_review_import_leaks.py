# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Security review: an import must not hand the importer contact data they
may only see masked (the previous values kept for a manager's rollback)."""

import json
from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import make_credit_code
from .import_common import CrmCustomerImportCommon, make_xlsx

OLD_PHONE = "13811112222"
NEW_PHONE = "13933334444"


@tagged("post_install", "-at_install", "crm_customer_import", "crm_customer_access")
class TestReviewImportLeaks(CrmCustomerImportCommon):
    def test_update_does_not_disclose_previous_full_phone(self):
        """With full numbers restricted to the right, the owner sees the phone
        masked; updating it by import must not give back the old number in
        the batch's rollback data."""
        self.env["ir.config_parameter"].sudo().set_param(
            "crm_customer_template.restrict_owner_full_contact", "True"
        )
        code = make_credit_code(31)
        customer = self.Customer.create(
            self._customer_vals(31, credit_code=code, phone=OLD_PHONE)
        )
        self.Customer.invalidate_model()
        self.assertNotEqual(customer.with_user(self.user_sales_a).phone_masked, OLD_PHONE)
        rows = self._customer_rows(1)
        rows[1][2] = code
        rows[1][5] = NEW_PHONE
        wizard = self._wizard(
            make_xlsx(rows), "u.xlsx", user=self.user_sales_a, duplicate_policy="update"
        )
        wizard.action_import()
        batch = wizard.batch_id.with_user(self.user_sales_a)
        self.assertEqual(batch.sudo().count_updated, 1)
        # whatever the salesperson may read of their batch carries no old number
        readable = [
            name for name, field in batch._fields.items() if field.is_accessible(batch.env)
        ]
        try:
            values = batch.read(readable)
        except AccessError:
            values = []
        self.assertNotIn(OLD_PHONE, json.dumps(values, default=str))
        # nor is it stored in clear in the database (encryption at rest)
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT undo_data::text FROM crm_customer_import_batch WHERE id = %s", [batch.id]
        )
        self.assertNotIn(OLD_PHONE, self.env.cr.fetchone()[0])
        # a manager's rollback still restores the previous number (date_done is
        # stored to the second; keep it after the update's write_date)
        self.env.flush_all()
        wizard.batch_id.sudo().date_done = customer.write_date + timedelta(seconds=1)
        wizard.batch_id.with_user(self.user_manager).action_rollback()
        self.assertEqual(customer.sudo().phone, OLD_PHONE)
