# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Helpers of the import tests: real .xlsx (xlsxwriter) and .csv files."""

import base64
import csv
import io

import xlsxwriter

from .common import CrmCustomerCommon

CUSTOMER_HEADERS_ZH = ["客户名称", "客户类型", "统一社会信用代码", "所属行业", "联系人", "联系电话",
                       "客户来源", "客户等级", "出生日期"]
CUSTOMER_HEADERS_EN = ["Customer Name", "Customer Type", "Unified Social Credit Code",
                       "Industry", "Contact Person", "Phone", "Source", "Grade", "Birth Date"]


def make_xlsx(rows, formulas=()):
    """Bytes of a workbook holding ``rows``; ``formulas`` = {(r, c): formula}."""
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True, "default_date_format": "yyyy-mm-dd"})
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if (r, c) in dict(formulas):
                sheet.write_formula(r, c, dict(formulas)[(r, c)])
            elif value is None:
                continue
            else:
                sheet.write(r, c, value)
    book.close()
    return output.getvalue()


def make_csv(rows, encoding="utf-8", bom=False):
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    data = text.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


class CrmCustomerImportCommon(CrmCustomerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Wizard = cls.env["crm.customer.import"]
        cls.Batch = cls.env["crm.customer.import.batch"]
        cls.Engine = cls.env["crm.customer.import.engine"]

    def _wizard(self, content, file_name, user=None, **vals):
        env = self.env(user=user or self.user_manager)
        return env["crm.customer.import"].create({
            "file": base64.b64encode(content),
            "file_name": file_name,
            **vals,
        })

    def _read_result(self, wizard_or_batch):
        """Rows of the result workbook's first sheet (lists of text)."""
        from openpyxl import load_workbook  # noqa: PLC0415

        book = load_workbook(io.BytesIO(base64.b64decode(wizard_or_batch.result_file)))
        sheet = book.worksheets[0]
        return [[("" if v is None else str(v)) for v in row]
                for row in sheet.iter_rows(values_only=True)]

    def _customer_row(self, index, **overrides):
        row = {
            "客户名称": f"导入客户 Imported {index}",
            "客户类型": "企业",
            "统一社会信用代码": "",
            "所属行业": self.industry_it.name,
            "联系人": f"联系人{index}",
            "联系电话": f"+86 139-{index:04d}-{index:04d}",
            "客户来源": self.source_trade_show.name,
            "客户等级": "A",
            "出生日期": "",
        }
        row.update(overrides)
        return [row[h] for h in CUSTOMER_HEADERS_ZH]

    def _customer_rows(self, count, start=0, headers=CUSTOMER_HEADERS_ZH):
        return [list(headers)] + [self._customer_row(i) for i in range(start, start + count)]

    def _imported(self, prefix="导入客户"):
        return self.env["crm.customer"].sudo().search([("name", "like", prefix)])
