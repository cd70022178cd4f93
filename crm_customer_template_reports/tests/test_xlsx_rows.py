# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The list export's row writer (InlineRowWriter) against xlsxwriter's own
cell API: the same sheet XML, and cells read back by openpyxl."""

import datetime
import io
import zipfile
from unittest.mock import patch

import openpyxl
import xlsxwriter

from odoo.tests import BaseCase, tagged

from ..report.crm_customer_xlsx import InlineRowWriter, write_text
from .common import CrmCustomerReportsCommon

LONG = "长" * 40000
TEXTS = [
    "客户 张伟", "=1+1", "+86 138", "-5", "@SUM(A1)", "\tTAB", "\rCR", "a & b <c> \"d\"",
    " lead", "trail ", "x_x0041_y", "bell\x07 vt\x0b", "nl\nin", "\ufffenon\uffff", LONG, "",
    "'quoted", "plain",
]
NUMBERS = [0, 1, -7, 2**40, 3.25, -0.1, 1e-300, 123456789.123456789, True]
DATETIMES = [
    datetime.datetime(2026, 1, 10, 2, 0), datetime.datetime(1900, 1, 1, 12, 30),
    datetime.datetime(1900, 3, 1),
]
DATES = [datetime.date(2026, 3, 31), datetime.date(1900, 2, 28)]


def build(rows, fast):
    """A constant_memory workbook with a header and ``rows`` (lists of
    (value, format key)), through InlineRowWriter or write_text."""
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"constant_memory": True})
    fmt = {
        "text": workbook.add_format({}),
        "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
        "datetime": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
    }
    sheet = workbook.add_worksheet("Sheet1")
    ncols = max(len(r) for r in rows)
    for col in range(ncols):
        sheet.write_string(0, col, f"H{col}", workbook.add_format({"bold": True}))
    if fast:
        writer = InlineRowWriter(sheet, 1, ncols)
        columns = []
        for col in range(ncols):
            key = next((r[col][1] for r in rows if r[col][0] not in (None, False)), "text")
            columns.append(writer.cells([r[col][0] for r in rows], fmt[key]))
        # two batches, as the export writes them
        half = len(rows) // 2
        writer.write_rows([c[:half] for c in columns])
        writer.write_rows([c[half:] for c in columns])
        # xlsxwriter's API still works below the rows
        sheet.write_string(len(rows) + 2, 0, "after")
    else:
        for r, row in enumerate(rows, start=1):
            for col, (value, key) in enumerate(row):
                if value is None or value is False:
                    continue
                if key in ("date", "datetime"):
                    sheet.write_datetime(r, col, value, fmt[key])
                else:
                    write_text(sheet, r, col, value, fmt[key])
        sheet.write_string(len(rows) + 2, 0, "after")
    workbook.close()
    return out.getvalue()


def sheet_xml(content):
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


def sample_rows():
    rows = []
    for i in range(len(TEXTS)):
        rows.append([
            (TEXTS[i], "text"),
            (NUMBERS[i] if i < len(NUMBERS) else False, "text"),
            (DATETIMES[i] if i < len(DATETIMES) else None, "datetime"),
            (DATES[i] if i < len(DATES) else None, "date"),
            (None, "text"),  # an empty column
        ])
    rows.append([(None, "text")] * 5)  # a row without any cell
    rows.append([(None, "text")] * 4 + [("last", "text")])
    return rows


@tagged("post_install", "-at_install", "crm_customer_reports")
class TestInlineRowWriter(BaseCase):
    def test_same_sheet_as_xlsxwriter(self):
        """Byte for byte the worksheet xlsxwriter writes cell by cell."""
        rows = sample_rows()
        self.assertEqual(sheet_xml(build(rows, fast=True)), sheet_xml(build(rows, fast=False)))

    def test_cells_read_back(self):
        rows = sample_rows()
        sheet = openpyxl.load_workbook(io.BytesIO(build(rows, fast=True))).worksheets[0]
        self.assertEqual(sheet.max_row, len(rows) + 3)
        self.assertEqual(sheet.max_column, 5)
        texts = [sheet.cell(r, 1) for r in range(2, len(TEXTS) + 2)]
        for cell, text in zip(texts, TEXTS, strict=True):
            self.assertEqual(cell.data_type, "s", text[:20])  # never a formula
        values = [cell.value for cell in texts]
        self.assertEqual(values[0], "客户 张伟")
        for i in range(1, 7):  # = + - @ tab CR: text with an apostrophe
            expected = "'" + TEXTS[i]
            self.assertEqual(values[i].replace("_x000D_", "\r"), expected)
        self.assertEqual(values[7], 'a & b <c> "d"')
        self.assertEqual(values[8], " lead")
        self.assertEqual(values[9], "trail ")
        self.assertEqual(values[12], "nl\nin")
        self.assertEqual(values[14], LONG[:32767])  # Excel's cap
        self.assertEqual(values[17], "plain")
        self.assertEqual(values[15], "")  # an empty text cell, as xlsxwriter writes it
        numbers = [sheet.cell(r, 2).value for r in range(2, len(NUMBERS) + 2)]
        # 16 significant digits, as xlsxwriter writes numbers
        self.assertEqual(numbers[:8], [float("%.16G" % n) for n in NUMBERS[:8]])
        self.assertIs(numbers[8], True)
        self.assertIsNone(sheet.cell(len(NUMBERS) + 2, 2).value)  # False: no cell
        self.assertEqual(sheet.cell(2, 3).value, datetime.datetime(2026, 1, 10, 2, 0))
        self.assertEqual(sheet.cell(2, 3).number_format, "yyyy-mm-dd hh:mm")
        self.assertEqual(sheet.cell(4, 3).value, datetime.datetime(1900, 3, 1))
        self.assertEqual(sheet.cell(2, 4).value, datetime.datetime(2026, 3, 31))
        self.assertEqual(sheet.cell(2, 4).number_format, "yyyy-mm-dd")
        self.assertEqual(sheet.cell(3, 4).value, datetime.datetime(1900, 2, 28))
        self.assertEqual(sheet.cell(len(rows) + 1, 5).value, "last")
        self.assertEqual(sheet.cell(len(rows) + 3, 1).value, "after")

    def test_rich_string_lookalike_is_text(self):
        """xlsxwriter copies an inline text shaped like <r>…</r> into the
        file as XML; like every writer of these reports, the row writer
        neutralises it (apostrophe) and escapes it like any text."""
        text = "<r><t>x</t></r>"
        content = build([[(text, "text")]], fast=True)
        sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
        self.assertEqual(sheet.cell(2, 1).value, "'" + text)

    def test_unsupported_sheet_falls_back(self):
        workbook = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
        self.assertFalse(InlineRowWriter.supports(workbook.add_worksheet()))
        workbook = xlsxwriter.Workbook(io.BytesIO(), {"constant_memory": True})
        sheet = workbook.add_worksheet()
        self.assertTrue(InlineRowWriter.supports(sheet))
        sheet.set_row(5, 30)
        self.assertFalse(InlineRowWriter.supports(sheet))
        workbook.close()


@tagged("post_install", "-at_install", "crm_customer_reports")
class TestListExportCells(CrmCustomerReportsCommon):
    def test_export_cells_read_back(self):
        """The customer export read back: Chinese, formula-like and long
        texts, empty values, dates in the user's time zone, labels."""
        long_name = "名" * 300
        customers = self.env["crm.customer"].create([
            {"name": name, "customer_kind": "company", "industry_id": self.industry_it.id,
             "contact_name": contact, "phone": f"1370000{i:04d}", "user_id": self.user_sales_a.id}
            for i, (name, contact) in enumerate([
                ("上海测试有限公司", "=HYPERLINK(\"http://x\")"), (long_name, "-1"),
                ("A & B <Co>", " 王五 "),
            ])
        ])
        buf = io.BytesIO()
        count = self.env["crm.customer.list.xlsx"].with_user(self.user_manager)._export_file(
            "crm.customer", [("id", "in", customers.ids)], buf
        )
        self.assertEqual(count, 3)
        sheet = openpyxl.load_workbook(io.BytesIO(buf.getvalue())).worksheets[0]
        header = [cell.value for cell in sheet[1]]
        rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
        self.assertEqual(len(rows), 3)
        fields_ = self.env["crm.customer"]._fields
        col = {
            fname: header.index(fields_[fname]._description_string(self.env))
            for fname in ("name", "contact_name", "create_date", "user_id", "source_id",
                          "customer_kind")
        }
        for customer, contact in zip(
            customers, ["'=HYPERLINK(\"http://x\")", "'-1", " 王五 "], strict=True
        ):
            row = rows[customer.code]
            self.assertEqual(row[col["name"]].value, customer.name)
            contact_cell = row[col["contact_name"]]
            self.assertEqual((contact_cell.value, contact_cell.data_type), (contact, "s"))
            created = row[col["create_date"]]
            self.assertIsInstance(created.value, datetime.datetime)
            local = customer.create_date + datetime.timedelta(hours=8)  # Asia/Shanghai
            self.assertAlmostEqual(
                created.value.timestamp(), local.replace(microsecond=0).timestamp(), delta=1
            )
            self.assertEqual(created.number_format, "yyyy-mm-dd hh:mm")
            self.assertEqual(row[col["user_id"]].value, self.user_sales_a.name)
            self.assertIsNone(row[col["source_id"]].value)  # empty: no cell
        kinds = dict(fields_["customer_kind"]._description_selection(self.env))
        self.assertEqual(rows[customers[0].code][col["customer_kind"]].value, kinds["company"])

    def test_cellwise_path_gives_the_same_cells(self):
        """A sheet the row writer does not support goes through xlsxwriter's
        cell API with the same values."""
        customers = self.c["c1"] | self.c["c2"]
        exporter = self.env["crm.customer.list.xlsx"].with_user(self.user_manager)

        def export():
            buf = io.BytesIO()
            exporter._export_file("crm.customer", [("id", "in", customers.ids)], buf)
            sheet = openpyxl.load_workbook(io.BytesIO(buf.getvalue())).worksheets[0]
            return [[(c.value, c.data_type, c.number_format) for c in row] for row in sheet]

        fast = export()
        with patch.object(InlineRowWriter, "supports", return_value=False):
            cellwise = export()
        self.assertEqual(len(fast), 3)
        self.assertEqual(fast, cellwise)
