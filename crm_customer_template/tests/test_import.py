# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from .import_common import CrmCustomerImportCommon, make_xlsx


@tagged("post_install", "-at_install", "crm_customer_import")
class TestImportBasics(CrmCustomerImportCommon):
    def test_import_xlsx_zh_headers(self):
        content = make_xlsx(self._customer_rows(3))
        wizard = self._wizard(content, "客户.xlsx")
        wizard.action_import()
        customers = self._imported()
        self.assertEqual(len(customers), 3)
        self.assertEqual(sorted(customers.mapped("phone"))[0], "13900000000")
        self.assertTrue(all(c.code.startswith("C") for c in customers))
        self.assertEqual(wizard.batch_id.count_created, 3)
        self.assertEqual(wizard.batch_id.state, "done")
