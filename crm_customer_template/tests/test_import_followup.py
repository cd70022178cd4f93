# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Follow-ups matched to customers by code or credit code."""

import datetime

from odoo.tests import tagged

from .common import make_credit_code
from .import_common import CrmCustomerImportCommon, make_csv, make_xlsx

HEADERS = ["客户编号", "客户统一社会信用代码", "跟进时间", "跟进方式", "跟进内容", "下次跟进计划",
           "下次跟进日期"]


@tagged("post_install", "-at_install", "crm_customer_import")
class TestImportFollowup(CrmCustomerImportCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mine = cls.Customer.create(
            cls._customer_vals(1, credit_code=make_credit_code(301), user_id=cls.user_sales_a.id)
        )
        cls.theirs = cls.Customer.create(
            cls._customer_vals(2, credit_code=make_credit_code(302), user_id=cls.user_sales_b.id)
        )

    def test_import_followups_by_code_and_credit_code(self):
        rows = [
            HEADERS,
            [self.mine.code, "", "2024年5月1日 14:30", self.method_phone.name, "电话沟通", "", ""],
            ["", self.mine.credit_code, "2024-05-02 09:00", self.method_wechat.name, "微信沟通",
             "寄送样品\n再确认", "2024/5/10"],
        ]
        wizard = self._wizard(make_csv(rows, encoding="gbk"), "fu.csv", user=self.user_sales_a,
                              import_kind="followup")
        wizard.action_import()
        followups = wizard.batch_id.sudo().followup_ids
        self.assertEqual(len(followups), 2, wizard.summary)
        self.assertEqual(followups.customer_id, self.mine)
        self.assertTrue(all(f.code.startswith("G") for f in followups))
        first = followups.filtered(lambda f: f.content == "电话沟通")
        # 14:30 in Asia/Shanghai = 06:30 UTC
        self.assertEqual(first.followup_date, datetime.datetime(2024, 5, 1, 6, 30))
        second = followups - first
        self.assertEqual(second.activity_id.date_deadline, datetime.date(2024, 5, 10))
        self.assertEqual(second.activity_id.summary, "寄送样品")

    def test_followup_errors(self):
        rows = [
            HEADERS,
            [self.theirs.code, "", "2024-05-01", self.method_phone.name, "x", "", ""],
            ["C19990101999", "", "2024-05-01", self.method_phone.name, "x", "", ""],
            [self.mine.code, "", "not a date", self.method_phone.name, "x", "", ""],
            [self.mine.code, "", "2024-05-01", "飞鸽传书", "x", "", ""],
            [self.mine.code, "", "2024-05-01", self.method_phone.name, "", "", ""],
            [self.mine.code, "", "2024-05-03", self.method_phone.name, "same", "", ""],
            [self.mine.code, "", "2024-05-03", self.method_phone.name, "same", "", ""],
        ]
        wizard = self._wizard(make_xlsx(rows), "fu.xlsx", user=self.user_sales_a,
                              import_kind="followup")
        wizard.action_dry_run()
        errors = [row[-1] for row in self._read_result(wizard)[1:]]
        self.assertIn("belongs to another salesperson", errors[0])
        self.assertIn("No customer", errors[1])
        self.assertIn("not a date", errors[2])
        self.assertIn("飞鸽传书", errors[3])
        self.assertIn("跟进内容", errors[4])
        self.assertEqual(errors[5], "")
        self.assertIn("row 7", errors[6])
        self.assertFalse(self.Followup.search([("customer_id", "=", self.mine.id)]))
