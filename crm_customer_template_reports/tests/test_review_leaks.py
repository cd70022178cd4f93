# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Security review: a salesperson (customer user only) asking the report
routes for another salesperson's records, or for clear contact fields,
gets nothing of them."""

import io
import json

from urllib.parse import urlencode

import openpyxl

from odoo import http
from odoo.tests import HttpCase, tagged

from odoo.addons.crm_customer_template.tests.access_common import (
    PHONE_A,
    PHONE_B,
    CrmCustomerAccessCommon,
)


def xlsx_text(content):
    book = openpyxl.load_workbook(io.BytesIO(content))
    return "\n".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


@tagged("post_install", "-at_install", "crm_customer_access", "crm_customer_reports")
class TestReviewReportLeaks(HttpCase, CrmCustomerAccessCommon):
    def setUp(self):
        super().setUp()
        self.env["ir.config_parameter"].sudo().set_param(
            "crm_customer_template.restrict_owner_full_contact", "True"
        )
        self.authenticate("acc_sales_a", "acc_sales_a")

    def _get(self, url, **params):
        if params:
            url = f"{url}?{urlencode(params)}"
        return self.url_open(url, timeout=60)

    def _download(self, url, context):
        """The Print menu's path: POST /report/download (CSRF token), as the
        web client does for report_xlsx reports."""
        return self.url_open("/report/download", data={
            "data": json.dumps([url, "xlsx"]), "context": context,
            "csrf_token": http.Request.csrf_token(self),
        }, timeout=60)

    def assertNoLeak(self, text):
        self.assertNotIn("Beta Trading", text)
        self.assertNotIn(PHONE_B, text)
        self.assertNotIn(PHONE_A, text)  # restricted to the right: masked for its owner too

    def test_profile_report_of_another_salesperson(self):
        ids = f"{self.customer_a.id},{self.customer_b.id}"
        for converter in ("html", "xlsx"):
            name = "report_customer_profile" if converter == "html" else "profile_xlsx"
            response = self._get(f"/report/{converter}/crm_customer_template_reports.{name}/{ids}")
            self.assertNoLeak(response.content.decode(errors="replace"))
        response = self._get(
            f"/report/html/crm_customer_template_reports.report_customer_profile/{self.customer_a.id}"
        )
        self.assertIn("Alpha Tech", response.text)
        self.assertIn("138****5678", response.text)

    def test_list_xlsx_report_with_foreign_ids_and_fields(self):
        context = json.dumps({"crm_export_fields": [
            "name", "phone", "email", "phone_encrypted", "phone_hash", "phone_masked", "contact_name",
        ], "active_test": False})  # fmt: skip
        ids = f"{self.customer_a.id},{self.customer_b.id}"
        response = self._download(
            f"/report/xlsx/crm_customer_template_reports.customer_list_xlsx/{ids}", context
        )
        self.assertEqual(response.status_code, 200)
        text = xlsx_text(response.content)
        self.assertNoLeak(text)
        self.assertIn("Alpha Tech", text)
        self.assertNotIn("gAAAA", text)  # no token either
        # no ids: the domain of the options, record rules apply
        options = urlencode({"options": json.dumps({"domain": [], "model": "crm.customer"})})
        response = self._download(
            f"/report/xlsx/crm_customer_template_reports.customer_list_xlsx?{options}", context
        )
        if response.status_code == 200:
            self.assertNoLeak(xlsx_text(response.content))
        else:
            self.assertNoLeak(response.text)

    def test_streaming_export_with_foreign_domain(self):
        for model, domain in (
            ("crm.customer", []),
            ("crm.customer", [("id", "=", self.customer_b.id)]),
            ("crm.customer", [("user_id", "=", self.user_sales_b.id)]),
            ("crm.customer.followup", [("customer_id", "=", self.customer_b.id)]),
            ("crm.customer.followup", []),
        ):
            # a link the server action signs for this user (another is refused)
            url = self.env["crm.customer.list.xlsx"].with_user(self.user_sales_a)._export_url(
                model, domain
            )
            response = self._get(url)
            self.assertEqual(response.status_code, 200)
            self.assertNoLeak(xlsx_text(response.content))

    def test_kpi_rpc_with_foreign_filters(self):
        for filters in (
            {},
            {"user_id": self.user_sales_b.id},
            {"company_ids": [self.env.company.id, 999999]},
            {"team_id": self.team.id},
        ):
            result = self.make_jsonrpc_request(
                "/web/dataset/call_kw/crm.customer.kpi/get_dashboard_data",
                {"model": "crm.customer.kpi", "method": "get_dashboard_data",
                 "args": [filters], "kwargs": {}},
            )  # fmt: skip
            text = json.dumps(result, ensure_ascii=False)
            self.assertNoLeak(text)
            customers = sum(row["customers"] for row in result["kpis"]["salespeople"])
            self.assertLessEqual(customers, 1)
