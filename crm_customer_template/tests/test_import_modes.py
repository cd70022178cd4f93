# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""All-or-nothing, valid rows only, duplicate policies, batch log and
rollback, owner rules and background imports."""

from datetime import timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import make_credit_code
from .import_common import CrmCustomerImportCommon, make_xlsx


@tagged("post_install", "-at_install", "crm_customer_import")
class TestImportModes(CrmCustomerImportCommon):
    def _rows_with_one_error(self):
        rows = self._customer_rows(4)
        rows[3][5] = "not a phone"
        return rows

    def test_all_or_nothing(self):
        wizard = self._wizard(make_xlsx(self._rows_with_one_error()), "c.xlsx")
        wizard.action_import()
        self.assertFalse(self._imported())
        batch = wizard.batch_id
        self.assertEqual((batch.state, batch.count_created, batch.count_error), ("failed", 0, 1))
        self.assertIn("Nothing was imported", wizard.summary)
        self.assertTrue(wizard.result_file)

    def test_all_or_nothing_error_found_only_at_create(self):
        """A row valid at validation time that fails in create (here: another
        transaction's credit code, simulated by a record created in between)
        still leaves zero rows written."""
        rows = self._customer_rows(3)
        rows[3][2] = make_credit_code(42)
        wizard = self._wizard(make_xlsx(rows), "c.xlsx")
        engine = self.Engine.with_user(self.user_manager)
        _headers, results = engine._plan("customer", wizard._content(), "c.xlsx")
        self.Customer.create(self._customer_vals(42, credit_code=make_credit_code(42)))
        with self.assertRaises(Exception), self.env.cr.savepoint():
            with self.env.cr.savepoint():
                engine._apply("customer", results, valid_only=False)
                if any(r.errors for r in results):
                    raise UserError("abort")
        self.assertFalse(self._imported())
        self.assertTrue(results[2].errors)

    def test_valid_rows_only(self):
        wizard = self._wizard(make_xlsx(self._rows_with_one_error()), "c.xlsx", mode="valid")
        wizard.action_import()
        self.assertEqual(len(self._imported()), 3)
        batch = wizard.batch_id
        self.assertEqual((batch.state, batch.count_created, batch.count_error), ("done", 3, 1))
        result = self._read_result(wizard)
        self.assertEqual(result[1][-2], "Created")
        self.assertEqual(result[3][-2], "Error")

    def test_duplicate_skip_and_update(self):
        code = make_credit_code(7)
        existing = self.Customer.create(
            self._customer_vals(7, credit_code=code, contact_name="旧联系人",
                                user_id=self.user_manager.id)
        )
        rows = self._customer_rows(2)
        rows[1][2] = code
        rows[1][4] = "新联系人"
        wizard = self._wizard(make_xlsx(rows), "c.xlsx")
        wizard.action_import()
        self.assertEqual(wizard.batch_id.count_skipped, 1)
        self.assertEqual(existing.contact_name, "旧联系人")
        self.assertEqual(len(self._imported()), 1)

        rows = self._customer_rows(1, start=5)
        rows[1][2] = code
        rows[1][4] = "新联系人"
        existing.user_id = self.user_sales_b
        wizard = self._wizard(make_xlsx(rows), "c2.xlsx", duplicate_policy="update")
        wizard.action_import()
        batch = wizard.batch_id
        self.assertEqual((batch.count_updated, batch.count_created), (1, 0))
        self.assertEqual(existing.contact_name, "新联系人")
        # no owner column: the existing owner is kept
        self.assertEqual(existing.user_id, self.user_sales_b)
        # rollback restores the previous values
        batch.with_user(self.user_manager).action_rollback()
        self.assertEqual(existing.contact_name, "旧联系人")
        self.assertEqual(batch.state, "rolled_back")

    def test_update_rows_are_validated_in_dry_run(self):
        code = make_credit_code(8)
        existing = self.Customer.create(self._customer_vals(8, credit_code=code))
        rows = self._customer_rows(1)
        rows[1][2] = code
        rows[1][5] = "999"
        rows[1][1] = ""
        wizard = self._wizard(make_xlsx(rows), "u.xlsx", duplicate_policy="update")
        wizard.action_dry_run()
        self.assertIn("999", self._read_result(wizard)[1][-1])
        rows[1][5] = "13912345678"
        wizard = self._wizard(make_xlsx(rows), "u.xlsx", duplicate_policy="update")
        wizard.action_dry_run()
        result = self._read_result(wizard)
        self.assertEqual((result[1][-2], result[1][-1]),
                         ("Valid: will update the existing record", ""))
        self.assertEqual(existing.phone, "13800000008")

    def test_salesperson_updates_own_phone_and_rollback(self):
        """Goes through the ORM: a phone that only some groups may write in
        clear (encrypted contact data) is written the way the model allows."""
        code = make_credit_code(12)
        mine = self.Customer.create(
            self._customer_vals(12, credit_code=code, user_id=self.user_sales_a.id)
        )
        rows = self._customer_rows(1)
        rows[1][2] = code
        rows[1][5] = "+86 139 1234 0012"
        wizard = self._wizard(make_xlsx(rows), "u.xlsx", user=self.user_sales_a,
                              duplicate_policy="update")
        wizard.action_import()
        batch = wizard.batch_id.sudo()
        self.assertEqual(batch.count_updated, 1, wizard.summary)
        self.assertEqual(mine.sudo().phone, "13912340012")
        batch.with_user(self.user_manager).action_rollback()
        self.assertEqual(mine.sudo().phone, "13800000012")

    def test_status_intent_on_create_and_update(self):
        code = make_credit_code(13)
        existing = self.Customer.create(self._customer_vals(13, credit_code=code))
        rows = self._customer_rows(2)
        rows[0].append("客户状态")
        rows[1].append("意向客户")
        rows[2].append("Intent")
        rows[2][2] = code
        wizard = self._wizard(make_xlsx(rows), "s.xlsx", duplicate_policy="update")
        wizard.action_import()
        self.assertEqual(wizard.batch_id.state, "done", wizard.summary)
        self.assertEqual(wizard.batch_id.customer_ids.state, "intent")
        self.assertEqual(existing.state, "intent")

    def test_rollback_untouched_batch(self):
        wizard = self._wizard(make_xlsx(self._customer_rows(3)), "c.xlsx")
        wizard.action_import()
        batch = wizard.batch_id
        self.assertTrue(batch.can_rollback)
        batch.with_user(self.user_manager).action_rollback()
        self.assertFalse(self._imported())
        self.assertEqual(batch.state, "rolled_back")

    def test_rollback_refused_when_touched_or_not_manager(self):
        wizard = self._wizard(make_xlsx(self._customer_rows(3)), "c.xlsx",
                              user=self.user_sales_a)
        wizard.action_import()
        batch = wizard.batch_id.sudo()
        self.assertEqual(batch.user_id, self.user_sales_a)
        with self.assertRaises(AccessError):
            batch.with_user(self.user_sales_a).action_rollback()
        customer = self._imported()[:1]
        # the import finished a minute ago; the salesperson edits a customer now
        batch.date_done = batch.date_done - timedelta(minutes=1)
        customer.with_user(self.user_sales_a).contact_name = "改过了"
        with self.assertRaises(UserError):
            batch.with_user(self.user_manager).action_rollback()
        self.assertEqual(len(self._imported()), 3)

    def test_rollback_refused_when_followup_added(self):
        wizard = self._wizard(make_xlsx(self._customer_rows(2)), "c.xlsx")
        wizard.action_import()
        customer = self._imported()[:1]
        self.Followup.create(self._followup_vals(customer))
        with self.assertRaises(UserError):
            wizard.batch_id.action_rollback()

    def test_batch_log_visibility(self):
        wizard_a = self._wizard(make_xlsx(self._customer_rows(1)), "a.xlsx",
                                user=self.user_sales_a)
        wizard_a.action_import()
        batch = wizard_a.batch_id
        Batch = self.env["crm.customer.import.batch"]
        self.assertEqual(Batch.with_user(self.user_sales_a).search([("id", "=", batch.id)]), batch)
        self.assertFalse(Batch.with_user(self.user_sales_b).search([("id", "=", batch.id)]))
        self.assertTrue(Batch.with_user(self.user_manager).search([("id", "=", batch.id)]))
        with self.assertRaises(AccessError):
            batch.with_user(self.user_sales_a).write({"count_created": 99})


@tagged("post_install", "-at_install", "crm_customer_import")
class TestImportOwnerRules(CrmCustomerImportCommon):
    def _rows_with_owner(self, login):
        rows = self._customer_rows(2)
        rows[0].append("跟进人")
        for row in rows[1:]:
            row.append(login)
        return rows

    def test_salesperson_imports_in_own_name(self):
        wizard = self._wizard(make_xlsx(self._customer_rows(2)), "c.xlsx", user=self.user_sales_a)
        wizard.action_import()
        customers = self._imported()
        self.assertEqual(customers.user_id, self.user_sales_a)
        self.assertEqual(
            self.Customer.with_user(self.user_sales_a).search([("id", "in", customers.ids)]),
            customers,
        )

    def test_salesperson_cannot_import_for_someone_else(self):
        wizard = self._wizard(make_xlsx(self._rows_with_owner("crm_sales_b")), "c.xlsx",
                              user=self.user_sales_a, mode="valid")
        wizard.action_import()
        self.assertFalse(self._imported())
        self.assertIn("in your own name", self._read_result(wizard)[1][-1])

    def test_manager_assigns_owner(self):
        wizard = self._wizard(make_xlsx(self._rows_with_owner("crm_sales_b")), "c.xlsx")
        wizard.action_import()
        self.assertEqual(self._imported().user_id, self.user_sales_b)

    def test_salesperson_cannot_update_someone_elses_customer(self):
        code = make_credit_code(11)
        theirs = self.Customer.create(
            self._customer_vals(11, credit_code=code, user_id=self.user_sales_b.id)
        )
        rows = self._customer_rows(1)
        rows[1][2] = code
        wizard = self._wizard(make_xlsx(rows), "c.xlsx", user=self.user_sales_a,
                              duplicate_policy="update")
        wizard.action_import()
        self.assertEqual(wizard.batch_id.state, "failed")
        self.assertIn("not allowed to modify", self._read_result(wizard)[1][-1])
        self.assertEqual(theirs.contact_name, "联系人 11")


@tagged("post_install", "-at_install", "crm_customer_import")
class TestImportBackground(CrmCustomerImportCommon):
    def setUp(self):
        super().setUp()
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("crm_customer_template.import_background_rows", 3)
        params.set_param("crm_customer_template.import_background_chunk", 2)

    def _run_queue(self):
        Batch = self.env["crm.customer.import.batch"]
        for _i in range(20):
            if not Batch.search([("state", "in", ("queued", "running"))]):
                return
            Batch._cron_process_queue()
        self.fail("the import queue did not finish")

    def test_background_import_in_chunks(self):
        wizard = self._wizard(make_xlsx(self._customer_rows(5)), "big.xlsx",
                              user=self.user_sales_a)
        action = wizard.action_import()
        self.assertEqual(action["res_model"], "crm.customer.import.batch")
        batch = wizard.batch_id.sudo()
        self.assertEqual(batch.state, "queued")
        self.assertFalse(self._imported())
        Batch = self.env["crm.customer.import.batch"]
        Batch._cron_process_queue()  # validation step
        self.assertEqual((batch.state, batch.rows_total, batch.rows_done), ("running", 5, 0))
        Batch._cron_process_queue()  # first chunk of 2
        self.assertEqual(batch.rows_done, 2)
        self.assertAlmostEqual(batch.progress, 40.0)
        self._run_queue()
        self.assertEqual((batch.state, batch.count_created), ("done", 5))
        customers = self._imported()
        self.assertEqual(customers.user_id, self.user_sales_a)
        self.assertEqual(batch.customer_ids, customers)
        self.assertFalse(batch.file, "the uploaded file is not kept once imported")
        # the user is notified in their inbox
        message = batch.message_ids.filtered(
            lambda m: self.user_sales_a.partner_id in m.partner_ids
        )
        self.assertTrue(message)
        self.assertIn("Import finished", message[0].body)

    def test_background_all_or_nothing_compensates(self):
        rows = self._customer_rows(5)
        rows[5][2] = make_credit_code(55)
        wizard = self._wizard(make_xlsx(rows), "big.xlsx")
        wizard.action_import()
        batch = wizard.batch_id.sudo()
        Batch = self.env["crm.customer.import.batch"]
        Batch._cron_process_queue()  # validation: all valid
        Batch._cron_process_queue()  # chunk 1 created
        self.assertEqual(len(self._imported()), 2)
        # meanwhile somebody creates the customer of the last row
        self.Customer.create(self._customer_vals(55, credit_code=make_credit_code(55)))
        self._run_queue()
        self.assertEqual(batch.state, "failed")
        self.assertFalse(self._imported(), "the chunks already written were undone")

    def test_background_refuses_errors_up_front(self):
        rows = self._customer_rows(5)
        rows[2][5] = "bad"
        wizard = self._wizard(make_xlsx(rows), "big.xlsx")
        wizard.action_import()
        self._run_queue()
        batch = wizard.batch_id.sudo()
        self.assertEqual((batch.state, batch.count_error), ("failed", 1))
        self.assertTrue(batch.result_file)
        self.assertFalse(self._imported())
