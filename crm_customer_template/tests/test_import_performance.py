# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The import works in batches: its number of queries does not grow with the
number of rows (validation, look-ups, duplicates, create, followers)."""

from odoo.tests import tagged

from .import_common import CrmCustomerImportCommon, make_csv


@tagged("post_install", "-at_install", "crm_customer_import")
class TestImportQueries(CrmCustomerImportCommon):
    def _queries(self, count, start):
        rows = self._customer_rows(count, start=start)
        wizard = self._wizard(make_csv(rows), "q.csv")
        self.env.flush_all()
        before = self.cr.sql_log_count
        wizard.action_import()
        self.env.flush_all()
        self.assertEqual(wizard.batch_id.count_created, count)
        return self.cr.sql_log_count - before

    def test_queries_do_not_grow_with_rows(self):
        self._queries(2, 0)  # warm the caches
        small = self._queries(5, 100)
        large = self._queries(60, 1000)
        # 55 more rows: a handful more queries at most (none per row)
        self.assertLess(large - small, 20, f"5 rows: {small} queries, 60 rows: {large}")
