# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Bad files: each refused with a clear message, nothing written."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from .import_common import CUSTOMER_HEADERS_ZH, CrmCustomerImportCommon, make_csv, make_xlsx


@tagged("post_install", "-at_install", "crm_customer_import")
class TestImportBadInput(CrmCustomerImportCommon):
    def _assert_refused(self, content, file_name, message, action="action_import", **vals):
        count = self.Customer.search_count([])
        batches = self.Batch.search_count([])
        wizard = self._wizard(content, file_name, **vals)
        with self.assertRaises(UserError) as caught:
            getattr(wizard, action)()
        self.assertIn(message, str(caught.exception))
        self.assertEqual(self.Customer.search_count([]), count)
        self.assertEqual(self.Batch.search_count([]), batches)
        return caught.exception

    def test_truncated_xlsx(self):
        content = make_xlsx(self._customer_rows(20))
        self._assert_refused(content[: len(content) // 2], "c.xlsx", "damaged or truncated")
        self._assert_refused(content[: len(content) // 2], "c.xlsx", "damaged or truncated",
                             action="action_dry_run")

    def test_corrupt_xlsx(self):
        self._assert_refused(b"PK\x03\x04garbage" * 10, "c.xlsx", "damaged or truncated")
        self._assert_refused(make_csv(self._customer_rows(2)), "c.xlsx",
                             "not a valid Excel workbook")

    def test_wrong_extension(self):
        self._assert_refused(make_csv(self._customer_rows(2)), "c.txt", "unsupported extension")
        self._assert_refused(make_xlsx(self._customer_rows(2)), "c.csv", "named .csv")
        self._assert_refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50, "old.xls",
                             "only .xlsx (Excel) and .csv")

    def test_empty_file(self):
        wizard = self._wizard(b"", "c.csv")
        with self.assertRaises(UserError):
            wizard.action_import()
        self._assert_refused(b"\n\n", "c.csv", "contains no data")

    def test_header_only(self):
        self._assert_refused(make_xlsx([CUSTOMER_HEADERS_ZH]), "c.xlsx", "only contains the header")
        self._assert_refused(make_csv([CUSTOMER_HEADERS_ZH]), "c.csv", "only contains the header",
                             action="action_dry_run")

    def test_unknown_and_missing_columns(self):
        rows = self._customer_rows(2)
        rows[0].append("幸运数字")
        for row in rows[1:]:
            row.append("7")
        exc = self._assert_refused(make_xlsx(rows), "c.xlsx", "Unknown columns: 幸运数字")
        self.assertIn("*客户名称 / Customer Name", str(exc))
        rows = [row[1:] for row in self._customer_rows(2)]  # no name column
        self._assert_refused(make_xlsx(rows), "c.xlsx", "Required columns are missing")
        rows = self._customer_rows(2)
        rows[0][1] = "客户名称"
        self._assert_refused(make_xlsx(rows), "c.xlsx", "appear twice")

    def test_empty_unnamed_column_is_ignored(self):
        rows = self._customer_rows(2)
        rows[0].append("")
        for row in rows[1:]:
            row.append("")
        self._wizard(make_xlsx(rows), "c.xlsx").action_import()
        self.assertEqual(len(self._imported()), 2)

    def test_formula_cells_kept_as_text(self):
        rows = self._customer_rows(2)
        formulas = {
            (1, 0): '=HYPERLINK("http://evil.example","导入客户 click")',
            (2, 4): "=cmd|' /C calc'!A0",
        }
        content = make_xlsx(rows, formulas=formulas)
        wizard = self._wizard(content, "f.xlsx")
        wizard.action_dry_run()
        result = self._read_result(wizard)
        # given back as text, not as formulas
        self.assertEqual(result[1][0], formulas[(1, 0)])
        wizard = self._wizard(content, "f.xlsx")
        wizard.action_import()
        customers = self.Customer.search([("id", "in", wizard.batch_id.customer_ids.ids)])
        self.assertEqual(len(customers), 2)
        self.assertIn(formulas[(1, 0)], customers.mapped("name"))
        self.assertIn(formulas[(2, 4)], customers.mapped("contact_name"))
        # the result workbook (written on errors/skips) never holds a formula
        from openpyxl import load_workbook  # noqa: PLC0415
        import base64  # noqa: PLC0415
        import io  # noqa: PLC0415

        wizard = self._wizard(content, "f.xlsx", mode="valid")
        wizard.action_dry_run()
        book = load_workbook(io.BytesIO(base64.b64decode(wizard.result_file)))
        self.assertEqual(book.worksheets[0]["A2"].data_type, "s")

    def test_row_limit_refused_up_front(self):
        self.env["ir.config_parameter"].sudo().set_param("crm_customer_template.import_max_rows", 3)
        self._assert_refused(make_xlsx(self._customer_rows(5)), "c.xlsx", "at most 3 rows")
        self._assert_refused(make_csv(self._customer_rows(5)), "c.csv", "at most 3 rows")

    def test_limits_from_settings(self):
        self.env["res.config.settings"].create({
            "crm_customer_import_max_rows": 4,
            "crm_customer_import_background_rows": 2,
        }).execute()
        self.assertEqual((self.Engine._max_rows(), self.Engine._background_rows()), (4, 2))
        self._assert_refused(make_csv(self._customer_rows(5)), "c.csv", "at most 4 rows")

    def test_undecodable_csv(self):
        self._assert_refused(b"name,phone\n\xff\xff\x80,1\n" * 3, "c.csv", "could not be decoded")
