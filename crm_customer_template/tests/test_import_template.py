# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The .xlsx templates: bilingual headers, required marks, drop-downs built
from the dictionaries as they are now; served by a controller."""

import io
import zipfile

from openpyxl import load_workbook

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .import_common import CrmCustomerImportCommon, make_xlsx


@tagged("post_install", "-at_install", "crm_customer_import")
class TestImportTemplate(CrmCustomerImportCommon):
    def _template(self, kind="customer", user=None):
        content = self.env["crm.customer.import.template"].with_user(
            user or self.user_manager)._build(kind)
        return content, load_workbook(io.BytesIO(content))

    def test_headers_required_and_lists(self):
        new_source = self.env["crm.customer.source"].create({"name": "Brand New Source 新渠道"})
        content, book = self._template()
        sheet = book.worksheets[0]
        headers = [cell.value for cell in sheet[1]]
        self.assertIn("*客户名称 / Customer Name", headers)
        self.assertIn("客户来源 / Source", headers)
        self.assertTrue(sheet.cell(1, headers.index("*联系电话 / Phone") + 1).font.b)
        # drop-down on the source column pointing at the current values
        col = headers.index("客户来源 / Source") + 1
        lists = book["Lists"]
        values = [lists.cell(r, col).value for r in range(2, lists.max_row + 1)]
        self.assertIn(new_source.name, values)
        self.assertEqual(lists.sheet_state, "hidden")
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            xml = archive.read("xl/worksheets/sheet1.xml").decode()
        self.assertIn('type="list"', xml)
        self.assertIn("Lists!$", xml)

    def test_filled_template_imports(self):
        _content, book = self._template()
        headers = [cell.value for cell in book.worksheets[0][1]]
        row = {h: "" for h in headers}
        row.update({
            "*客户名称 / Customer Name": "导入客户 模板",
            "*所属行业 / Industry": self.industry_it.name,
            "*联系人 / Contact Person": "王五",
            "*联系电话 / Phone": "010-12345678",
            "客户状态 / Status": "Intent",
        })
        wizard = self._wizard(make_xlsx([headers, [row[h] for h in headers]]), "t.xlsx")
        wizard.action_import()
        customer = self._imported()
        self.assertEqual((customer.phone, customer.state), ("01012345678", "intent"))

    def test_followup_template_and_rights(self):
        _content, book = self._template("followup", user=self.user_sales_a)
        headers = [cell.value for cell in book.worksheets[0][1]]
        self.assertIn("*跟进方式 / Method", headers)
        # a salesperson is offered only their own login as owner
        col = headers.index("跟进人 / Followed up by") + 1
        self.assertEqual(book["Lists"].cell(2, col).value, "crm_sales_a")
        outsider = new_test_user(self.env, login="crm_outsider", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.env["crm.customer.import.template"].with_user(outsider)._build("customer")

    def test_offered_in_odoo_import_screen(self):
        templates = self.Customer.get_import_templates()
        self.assertEqual(
            templates[0]["template"], "/crm_customer_template/import_template/customer"
        )


@tagged("post_install", "-at_install", "crm_customer_import")
class TestImportTemplateController(HttpCase):
    def test_download(self):
        new_test_user(self.env, login="crm_tpl_user", password="crm_tpl_user_pw",
                      groups="crm_customer_template.group_crm_customer_user")
        self.authenticate("crm_tpl_user", "crm_tpl_user_pw")
        response = self.url_open("/crm_customer_template/import_template/customer")
        self.assertEqual(response.status_code, 200)
        self.assertIn("spreadsheetml", response.headers["Content-Type"])
        book = load_workbook(io.BytesIO(response.content))
        self.assertEqual(book.worksheets[0]["A1"].value, "客户编号 / Code")
        self.assertEqual(self.url_open("/crm_customer_template/import_template/nope").status_code,
                         404)
