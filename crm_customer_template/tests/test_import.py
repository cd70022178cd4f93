# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Parsing, header mapping, normalisation and row validation of the import."""

import datetime

from odoo.tests import tagged

from .common import make_credit_code
from .import_common import (
    CUSTOMER_HEADERS_EN,
    CUSTOMER_HEADERS_ZH,
    CrmCustomerImportCommon,
    make_csv,
    make_xlsx,
)


@tagged("post_install", "-at_install", "crm_customer_import")
class TestImportParsing(CrmCustomerImportCommon):
    def test_import_xlsx_zh_headers(self):
        content = make_xlsx(self._customer_rows(3))
        wizard = self._wizard(content, "客户.xlsx")
        wizard.action_import()
        customers = self._imported()
        self.assertEqual(len(customers), 3)
        # "+86 139-0000-0000" → normalised by the model's own rule
        self.assertIn("13900000000", customers.mapped("phone"))
        self.assertTrue(all(c.code.startswith("C") for c in customers))
        self.assertEqual(customers.source_id, self.source_trade_show)
        self.assertEqual(set(customers.mapped("grade")), {"a"})
        batch = wizard.batch_id
        self.assertEqual((batch.state, batch.count_created, batch.rows_total), ("done", 3, 3))
        self.assertEqual(batch.customer_ids, customers)
        self.assertEqual(batch.user_id, self.user_manager)
        # the owner follows the customers (added in batch, not per record)
        self.assertIn(self.user_manager.partner_id, customers[0].message_partner_ids)

    def _csv_import(self, content, name="customers.csv"):
        wizard = self._wizard(content, name)
        wizard.action_import()
        self.assertEqual(wizard.batch_id.state, "done", wizard.summary)
        return self._imported()

    def test_csv_utf8_english_headers(self):
        rows = self._customer_rows(2, headers=CUSTOMER_HEADERS_EN)
        rows[1][1] = "Company"
        customers = self._csv_import(make_csv(rows))
        self.assertEqual(len(customers), 2)
        self.assertIn("导入客户 Imported 0", customers.mapped("name"))

    def test_csv_utf8_bom(self):
        customers = self._csv_import(make_csv(self._customer_rows(2), bom=True))
        self.assertEqual(len(customers), 2)

    def test_csv_gbk_and_gb18030(self):
        rows = self._customer_rows(2)
        rows[1][0] = "导入客户 杭州某某科技有限公司"
        customers = self._csv_import(make_csv(rows, encoding="gbk"), "gbk.csv")
        self.assertIn("导入客户 杭州某某科技有限公司", customers.mapped("name"))
        self.assertEqual(self.Engine._guess_encoding(make_csv(rows, encoding="gbk")), "gb18030")
        # a character outside GBK (GB18030 only)
        rows[2][0] = "导入客户 䶮"
        content = make_csv(rows, encoding="gb18030")
        headers, results = self.Engine._plan("customer", content, "x.csv")
        self.assertEqual(results[1].vals["name"], "导入客户 䶮")

    def test_template_headers_and_technical_names(self):
        columns = {c.fname: c for c in self.Engine._map_headers(
            "customer", ["*客户名称 / Customer Name", "phone", "联系人（必填）", "INDUSTRY"], [])}
        self.assertEqual(set(columns), {"name", "phone", "contact_name", "industry_id"})

    def test_dictionary_values_in_both_languages(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.source_referral.with_context(lang="zh_CN").name = "老客户转介绍"
        self.industry_manufacturing.with_context(lang="zh_CN").name = "制造业"
        rows = self._customer_rows(2)
        rows[1][6] = "老客户转介绍"
        rows[1][3] = "制造业"
        rows[2][6] = self.source_referral.name  # English
        self._wizard(make_xlsx(rows), "c.xlsx").action_import()
        customers = self._imported()
        self.assertEqual(customers.source_id, self.source_referral)
        self.assertIn(self.industry_manufacturing, customers.industry_id)

    def test_dates_chinese_iso_and_excel(self):
        rows = self._customer_rows(4)
        for row in rows[1:]:
            row[1] = "个人"
        rows[1][8] = "1990年5月1日"
        rows[2][8] = "1990/5/1"
        rows[3][8] = "1990-05-01"
        rows[4][8] = datetime.date(1990, 5, 1)
        self._wizard(make_xlsx(rows), "dates.xlsx").action_import()
        customers = self._imported()
        self.assertEqual(len(customers), 4)
        self.assertEqual(set(customers.mapped("birth_date")), {datetime.date(1990, 5, 1)})
        self.assertEqual(set(customers.mapped("customer_kind")), {"person"})

    def test_country_and_province(self):
        rows = self._customer_rows(3)
        rows[0] += ["国家", "省份", "城市"]
        rows[1] += ["", "浙江", "杭州"]
        rows[2] += ["CN", "上海市", ""]
        rows[3] += ["", "火星", ""]
        wizard = self._wizard(make_xlsx(rows), "r.xlsx", mode="valid")
        wizard.action_import()
        customers = self._imported()
        self.assertEqual(
            customers.state_id,
            self.env.ref("base.state_cn_ZJ") | self.env.ref("base.state_cn_SH"),
            wizard.summary,
        )
        self.assertEqual(customers.country_id, self.env.ref("base.cn"))
        self.assertIn("火星", self._read_result(wizard)[3][-1])

    def test_phone_normalisation(self):
        rows = self._customer_rows(3)
        rows[1][5] = "+86 138 0013 8000"
        rows[2][5] = "0086-139-0013-8001"
        rows[3][5] = 13700138002  # typed as a number in Excel
        self._wizard(make_xlsx(rows), "p.xlsx").action_import()
        self.assertEqual(
            sorted(self._imported().mapped("phone")),
            ["13700138002", "13800138000", "13900138001"],
        )


@tagged("post_install", "-at_install", "crm_customer_import")
class TestImportValidation(CrmCustomerImportCommon):
    def _dry_run(self, rows, user=None):
        wizard = self._wizard(make_xlsx(rows), "check.xlsx", user=user)
        wizard.action_dry_run()
        return wizard, self._read_result(wizard)

    def test_each_validation_error_in_result_workbook(self):
        existing = self.Customer.create(
            self._customer_vals(99, credit_code=make_credit_code(99), user_id=self.user_manager.id)
        )
        good_code = make_credit_code(1)
        bad_code = good_code[:17] + ("0" if good_code[17] != "0" else "1")
        rows = [list(CUSTOMER_HEADERS_ZH)]
        rows.append(self._customer_row(1, **{"客户名称": ""}))             # missing required
        rows.append(self._customer_row(2, **{"联系电话": "12345"}))        # bad phone
        rows.append(self._customer_row(3, **{"统一社会信用代码": bad_code}))  # bad check digit
        rows.append(self._customer_row(4, **{"客户来源": "不存在的来源"}))   # unknown dictionary
        rows.append(self._customer_row(5, **{"统一社会信用代码": good_code}))
        rows.append(self._customer_row(6, **{"统一社会信用代码": good_code}))  # dup in file
        rows.append(self._customer_row(7, **{"统一社会信用代码": existing.credit_code}))  # in DB
        rows.append(self._customer_row(8, **{"出生日期": "31/31/1990", "客户类型": "个人"}))
        rows.append(self._customer_row(9, **{"客户类型": "个人", "统一社会信用代码":
                                            make_credit_code(9)}))  # model constraint
        rows.append(self._customer_row(10))                               # valid
        count_before = self.Customer.search_count([])
        wizard, result = self._dry_run(rows)
        self.assertEqual(self.Customer.search_count([]), count_before, "dry run wrote nothing")
        self.assertFalse(wizard.batch_id)
        header = result[0]
        self.assertEqual(header[-2:], ["Status / 状态", "Errors / 错误信息"])
        errors = [row[-1] for row in result[1:]]
        self.assertIn("客户名称", errors[0])
        self.assertIn("12345", errors[1])
        self.assertIn(bad_code, errors[2])
        self.assertIn("不存在的来源", errors[3])
        self.assertEqual(errors[4], "")
        self.assertIn("row 6", errors[5])
        self.assertEqual(errors[6], "")  # in the database: skipped (policy skip)
        self.assertIn("Skipped", result[7][-2])
        self.assertIn("31/31/1990", errors[7])
        self.assertIn("only a company", errors[8])
        self.assertEqual(errors[9], "")
        self.assertIn("Rows with errors: 7", wizard.summary)
        self.assertIn("Dry run: nothing was written.", wizard.summary)
        # the user's rows are given back unchanged
        self.assertEqual(result[3][2], bad_code)

    def test_dry_run_consumes_no_code(self):
        sequence = self.env["ir.sequence"].search([("code", "=", "crm.customer")])
        before = self.Customer.create(self._customer_vals(1)).code
        self._dry_run(self._customer_rows(5))
        after = self.Customer.create(self._customer_vals(2)).code
        self.assertEqual(int(after[-3:]), int(before[-3:]) + 1, sequence.name)

    def test_odoo_load_uses_the_same_constraints(self):
        result = self.Customer.with_context(import_file=True).load(
            ["name", "industry_id", "contact_name", "phone"],
            [["Load Co", self.industry_it.name, "Li", "12345"]],
        )
        self.assertFalse(result["ids"])
        self.assertIn("12345", result["messages"][0]["message"])
