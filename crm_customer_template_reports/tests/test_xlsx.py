# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import io

import openpyxl
from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import PERIOD, CrmCustomerReportsCommon

# formula-like texts, and one XlsxWriter would copy as raw rich-string XML
FORMULAS = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "\rCR", "<r><t>富文本</t></r>"]


def read_workbook(content):
    return openpyxl.load_workbook(io.BytesIO(content))


def sheet_rows(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@tagged("post_install", "-at_install", "crm_customer_reports")
class TestCrmCustomerXlsx(CrmCustomerReportsCommon):
    def _render(self, xmlid, docids, data=None, user=None):
        report = self.env.ref(f"crm_customer_template_reports.{xmlid}")
        Report = self.env["ir.actions.report"].with_user(user or self.user_manager)
        content, kind = Report._render_xlsx(report.report_name, docids, data)
        self.assertEqual(kind, "xlsx")
        return read_workbook(content)

    def test_kpi_xlsx_matches_the_service(self):
        with freeze_time("2026-04-10 00:00:00"):
            kpis = self.Kpi.with_user(self.user_manager).get_kpis(PERIOD)
            wb = self._render("action_report_crm_customer_kpi_xlsx", [], {"filters": PERIOD})
        rows = sheet_rows(wb.worksheets[0])
        by_label = {row[0]: row for row in rows if row and row[0]}
        labels = dict(self.Kpi._tile_labels())
        for key in ("new_customers", "won_customers", "conversion_rate", "churn_rate",
                    "followup_count", "avg_followup_cycle", "satisfaction_avg"):
            self.assertEqual(by_label[labels[key]][1], kpis["tiles"][key]["value"], key)
        self.assertEqual(by_label[labels["new_customers"]][1], 4)
        self.assertEqual(by_label[labels["new_customers"]][2], 1)
        self.assertTrue(any("2026-01-01" in str(row[0]) for row in rows if row[0]))

    def test_list_export_neutralises_formulas_and_applies_rules(self):
        customers = self.env["crm.customer"].create([
            {"name": text, "customer_kind": "person", "industry_id": self.industry_it.id,
             "contact_name": text, "phone": f"1370000{i:04d}", "user_id": self.user_sales_a.id}
            for i, text in enumerate(FORMULAS)
        ])
        self.env["crm.customer"].create({
            "name": "=B's secret", "customer_kind": "person", "industry_id": self.industry_it.id,
            "contact_name": "B", "phone": "13700009999", "user_id": self.user_sales_b.id,
        })
        domain = [("name", "in", FORMULAS + ["=B's secret"])]
        buf = io.BytesIO()
        count = self.env["crm.customer.list.xlsx"].with_user(self.user_sales_a)._export_file(
            "crm.customer", domain, buf
        )
        self.assertEqual(count, len(FORMULAS))  # not B's customer
        wb = openpyxl.load_workbook(io.BytesIO(buf.getvalue()))
        sheet = wb.worksheets[0]
        names = set()
        for row in sheet.iter_rows(min_row=2):
            for cell in row[1:3]:  # name, customer kind
                self.assertEqual(cell.data_type, "s", cell.value)  # a string, never a formula
            # xlsxwriter stores a carriage return escaped as _x000D_
            names.add(row[1].value.replace("_x000D_", "\r"))
        self.assertEqual(names, {"'" + text for text in FORMULAS})
        log = self.env["crm.customer.log"].search(
            [("operation", "=", "export"), ("user_id", "=", self.user_sales_a.id)]
        )
        self.assertEqual(log.mapped("row_count"), [len(FORMULAS)])
        self.assertNotIn("'=B's secret", names)
        self.assertTrue(customers)

    def test_exports_print_masked_phone(self):
        self.env["ir.config_parameter"].set_param(
            "crm_customer_template.restrict_owner_full_contact", "True"
        )
        buf = io.BytesIO()
        self.env["crm.customer.list.xlsx"].with_user(self.user_sales_a)._export_file(
            "crm.customer", [("id", "=", self.c["c1"].id)], buf
        )
        values = [v for row in sheet_rows(openpyxl.load_workbook(io.BytesIO(buf.getvalue()))
                                          .worksheets[0]) for v in row]
        self.assertIn("138****0000", values)
        self.assertNotIn("13800000000", values)
        self.assertIn("c***@example.com", values)
        self.assertNotIn("c1@example.com", values)
        wb = self._render("action_report_crm_customer_profile_xlsx", self.c["c1"].ids,
                          user=self.user_sales_a)
        values = [v for row in sheet_rows(wb.worksheets[0]) for v in row]
        self.assertIn("138****0000", values)
        self.assertNotIn("13800000000", values)

    def test_list_export_report_action(self):
        """The Print-menu entry (report_xlsx) exports the selected records."""
        c1 = self.c["c1"]
        wb = self._render("action_report_crm_customer_list_xlsx", c1.ids)
        rows = sheet_rows(wb.worksheets[0])
        self.assertEqual(len(rows), 2)
        self.assertIn(c1.code, rows[1])

    def test_list_export_needs_the_export_right(self):
        """Like Odoo's own Export: without "Access to export feature" the
        list exports (server action, Print menu, stream) refuse, log nothing."""
        self.user_sales_a.groups_id -= self.env.ref("base.group_allow_export")
        customers = self.env["crm.customer"].with_user(self.user_sales_a).search([])
        self.assertTrue(customers)
        Log = self.env["crm.customer.log"]
        logs = Log.search_count([("operation", "=", "export")])
        exporter = self.env["crm.customer.list.xlsx"].with_user(self.user_sales_a)
        message = "You don't have the rights to export data"
        with self.assertRaisesRegex(AccessError, message):
            exporter._action_export(customers)
        with self.assertRaisesRegex(AccessError, message):
            exporter._export_file("crm.customer", [], io.BytesIO())
        with self.assertRaisesRegex(AccessError, message):
            self._render("action_report_crm_customer_list_xlsx", customers.ids,
                         user=self.user_sales_a)
        self.assertEqual(Log.search_count([("operation", "=", "export")]), logs)
        # given back the right, the same user exports
        self.user_sales_a.groups_id += self.env.ref("base.group_allow_export")
        wb = self._render("action_report_crm_customer_list_xlsx", customers.ids,
                          user=self.user_sales_a)
        self.assertEqual(len(sheet_rows(wb.worksheets[0])), len(customers) + 1)

    def test_profile_and_logs_xlsx(self):
        wb = self._render("action_report_crm_customer_profile_xlsx", self.c["c1"].ids)
        text = "\n".join(str(v) for row in sheet_rows(wb.worksheets[0]) for v in row if v)
        self.assertIn("测试客户 c1", text)
        self.assertIn("跟进 c1 2026-01-20 10:00:00", text)
        self.assertIn("HT-c1", text)  # ledger evidence (contract number)
        with freeze_time("2026-04-10 00:00:00"):
            wb = self._render("action_report_crm_customer_followup_log_xlsx", [],
                              {"filters": PERIOD})
        text = "\n".join(str(v) for row in sheet_rows(wb.worksheets[0]) for v in row if v)
        self.assertEqual(text.count("跟进 "), 6)
        with freeze_time("2026-04-10 00:00:00"):
            wb = self._render("action_report_crm_customer_satisfaction_xlsx", [],
                              {"filters": PERIOD}, user=self.user_sales_a)
        rows = sheet_rows(wb.worksheets[0])
        text = "\n".join(str(v) for row in rows for v in row if v)
        self.assertIn("很好", text)
        self.assertNotIn("不错", text)  # B's feedback
