# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""PDF reports (rendered by wkhtmltopdf, which fetches the report CSS over
HTTP: HttpCase), the consistency of dashboard RPC / XLSX / PDF, the patched
standard export, the streaming export route and the dashboard tour."""

import datetime
import io
import json
import os
import subprocess
import tempfile
import time
import unicodedata
from urllib.parse import parse_qs, urlencode, urlsplit

import openpyxl
from freezegun import freeze_time

from odoo import http
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import PERIOD, CrmCustomerReportsCommon


def pdf_text(content):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(content)
        pdf.flush()
        text = subprocess.run(
            ["pdftotext", "-layout", pdf.name, "-"], check=True, capture_output=True, text=True
        ).stdout
    # Noto Sans CJK shares the glyph of some ideographs with a Kangxi radical,
    # and the PDF's ToUnicode map gives the radical (户 comes back as U+2F3E,
    # 人 as U+2F08). NFKC maps radicals to their ideographs, in the
    # traditional form for U+2F3E (戶), hence the last replace.
    return unicodedata.normalize("NFKC", text).replace("戶", "户")


def pdf_pages(content):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(content)
        pdf.flush()
        out = subprocess.run(["pdfinfo", pdf.name], check=True, capture_output=True, text=True)
    return int(next(line.split()[-1] for line in out.stdout.splitlines()
                    if line.startswith("Pages:")))


def pdf_first_page_ink(content):
    """Render page 1 to a grey PNG (pdftoppm) and return the share of dark
    pixels in its top and bottom halves."""
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        pdf_path = os.path.join(tmp, "report.pdf")
        with open(pdf_path, "wb") as pdf:
            pdf.write(content)
        subprocess.run(["pdftoppm", "-png", "-gray", "-r", "40", "-f", "1", "-l", "1",
                        pdf_path, os.path.join(tmp, "page")], check=True)
        png = next(name for name in os.listdir(tmp) if name.endswith(".png"))
        image = Image.open(os.path.join(tmp, png)).convert("L")
        width, height = image.size
        pixels = list(image.getdata())
    half = width * (height // 2)
    dark = [p < 200 for p in pixels]
    return sum(dark[:half]) / half, sum(dark[half:]) / max(len(dark) - half, 1)


@tagged("post_install", "-at_install", "crm_customer_reports")
class TestCrmCustomerReportsHttp(HttpCase, CrmCustomerReportsCommon):
    def _pdf(self, xmlid, docids=None, data=None, user=None):
        Report = self.env["ir.actions.report"].with_user(user or self.user_manager).with_context(
            force_report_rendering=True
        )
        content, kind = Report._render_qweb_pdf(
            f"crm_customer_template_reports.{xmlid}", docids, data
        )
        self.assertEqual(kind, "pdf")
        # CRM_REPORTS_PDF_DIR=<dir>: keep the PDFs to look at them
        # (pdftoppm -png -r 60 <pdf> <prefix>)
        if dump_dir := os.environ.get("CRM_REPORTS_PDF_DIR"):
            with open(os.path.join(dump_dir, f"{self._testMethodName}_{xmlid}.pdf"), "wb") as f:
                f.write(content)
        return content

    def _heading_checks(self, text, title):
        self.assertIn(self.env.company.name, text)
        self.assertIn(title, text)
        self.assertIn("Printed on:", text)

    def test_kpi_summary_pdf_dashboard_xlsx_same_numbers(self):
        """One filter, three outputs, the same figures."""
        self.authenticate("rep_manager", "rep_manager")
        with freeze_time("2026-04-10 00:00:00"):
            rpc = self.make_jsonrpc_request("/web/dataset/call_kw", {
                "model": "crm.customer.kpi", "method": "get_dashboard_data",
                "args": [PERIOD], "kwargs": {},
            })
            pdf = self._pdf("action_report_crm_customer_kpi", [], {"filters": PERIOD})
            report = self.env.ref("crm_customer_template_reports.action_report_crm_customer_kpi_xlsx")
            xlsx, _kind = self.env["ir.actions.report"].with_user(self.user_manager)._render_xlsx(
                report.report_name, [], {"filters": PERIOD}
            )
        tiles = rpc["kpis"]["tiles"]
        self.assertEqual(tiles["new_customers"]["value"], 4)
        text = pdf_text(pdf)
        self._heading_checks(text, "Customer KPI Summary")
        self.assertIn("2026-01-01 ~ 2026-03-31", text)
        sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).worksheets[0]
        xlsx_values = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row[0]}
        Kpi = self.env["crm.customer.kpi"]
        lines = {}
        for line in text.splitlines():
            parts = [p for p in line.split("  ") if p.strip()]
            if len(parts) >= 2:
                lines[parts[0].strip()] = parts[1].strip()
        for key, label in Kpi._tile_labels():
            tile = tiles[key]
            self.assertEqual(xlsx_values[label], tile["value"], key)
            self.assertEqual(lines.get(label), Kpi._format_value(tile), key)
        self.assertEqual(lines["New customers"], "4")
        self.assertEqual(lines["Conversion rate"], "50.0%")
        self.assertEqual(lines["Churn rate"], "66.7%")

    def test_customer_profile_pdf(self):
        customers = self.c["c1"] | self.c["c5"]
        content = self._pdf("action_report_crm_customer_profile", customers.ids)
        text = pdf_text(content)
        self._heading_checks(text, "Customer Profile")
        self.assertIn("测试客户 c1", text)
        self.assertIn("测试客户 c5", text)
        self.assertIn("跟进 c1 2026-01-20 10:00:00", text)
        self.assertIn("HT-c1", text)  # state history from the ledger
        self.assertGreaterEqual(pdf_pages(content), 2)  # one customer per page
        top, _bottom = pdf_first_page_ink(content)
        self.assertGreater(top, 0.002)  # a blank page gives 0.0
        phone_field = self.env["crm.customer.report.common"]._phone_field()
        self.assertIn(self.c["c1"].with_user(self.user_manager)[phone_field], text)

    def test_customer_profile_pdf_respects_rules(self):
        """A salesperson prints their own customer, never another one's."""
        text = pdf_text(self._pdf("action_report_crm_customer_profile", self.c["c1"].ids,
                                  user=self.user_sales_a))
        self.assertIn("测试客户 c1", text)
        from odoo.exceptions import AccessError

        with self.assertRaises(AccessError):
            self._pdf("action_report_crm_customer_profile", self.c["c3"].ids,
                      user=self.user_sales_a)

    def test_profile_pdf_prints_masked_phone(self):
        """Without the full-contact right the profile prints the masked phone
        (here: owners restricted by the setting)."""
        self.env["ir.config_parameter"].set_param(
            "crm_customer_template.restrict_owner_full_contact", "True"
        )
        text = pdf_text(self._pdf("action_report_crm_customer_profile", self.c["c1"].ids,
                                  user=self.user_sales_a))
        self.assertIn("138****0000", text)
        self.assertNotIn("13800000000", text)
        # the manager has the right: full number
        text = pdf_text(self._pdf("action_report_crm_customer_profile", self.c["c1"].ids))
        self.assertIn("13800000000", text)

    def test_followup_log_and_satisfaction_pdf(self):
        with freeze_time("2026-04-10 00:00:00"):
            text = pdf_text(self._pdf("action_report_crm_customer_followup_log", [],
                                      {"filters": {**PERIOD, "user_id": self.user_sales_a.id}}))
        self._heading_checks(text, "Follow-up Log")
        self.assertIn("Salesperson: Salesperson A 销售甲", text)
        self.assertEqual(text.count("跟进 c"), 5)
        self.assertNotIn("跟进 c6", text)
        with freeze_time("2026-04-10 00:00:00"):
            text = pdf_text(self._pdf("action_report_crm_customer_satisfaction", [],
                                      {"filters": PERIOD}))
        self._heading_checks(text, "Customer Satisfaction Report")
        self.assertIn("很好", text)
        self.assertIn("4.00/5", text)

    def test_wizard_prints_with_its_filter(self):
        wizard = self.env["crm.customer.report.wizard"].with_user(self.user_manager).create({
            "report": "kpi", "preset": "custom", "date_from": "2026-01-01",
            "date_to": "2026-03-31", "grade": "a",
        })
        action = wizard.action_print_pdf()
        self.assertEqual(action["report_name"], "crm_customer_template_reports.report_kpi_summary")
        self.assertEqual(action["data"]["filters"]["grade"], "a")
        text = pdf_text(self._pdf("action_report_crm_customer_kpi", wizard.ids))
        self.assertIn("Grade: A - High value", text)
        action = wizard.action_export_xlsx()
        self.assertEqual(action["report_type"], "xlsx")

    def _csrf(self):
        return http.Request.csrf_token(self)

    def test_standard_export_writes_formulas_as_text(self):
        customer = self.env["crm.customer"].create({
            "name": "=HYPERLINK(\"http://evil\")", "customer_kind": "person",
            "industry_id": self.industry_it.id, "contact_name": "+1+1",
            "phone": "13600000001", "user_id": self.user_manager.id,
        })
        self.user_manager.groups_id += self.env.ref("base.group_allow_export")
        self.authenticate("rep_manager", "rep_manager")
        params = {
            "model": "crm.customer",
            "fields": [{"name": "name", "label": "Name", "type": "char"},
                       {"name": "contact_name", "label": "Contact", "type": "char"}],
            "ids": customer.ids, "domain": [], "import_compat": False,
        }
        response = self.url_open("/web/export/xlsx", data={
            "data": json.dumps(params), "csrf_token": self._csrf(),
        })
        self.assertEqual(response.status_code, 200, response.text[-1500:])
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
        name, contact = (sheet.cell(2, 1), sheet.cell(2, 2))
        self.assertEqual((name.data_type, contact.data_type), ("s", "s"))
        self.assertEqual(name.value, "'=HYPERLINK(\"http://evil\")")
        self.assertEqual(contact.value, "'+1+1")
        # other models keep Odoo's behaviour (the patch is scoped)
        params = {"model": "res.partner.industry",
                  "fields": [{"name": "name", "label": "Name", "type": "char"}],
                  "ids": self.industry_it.ids, "domain": [], "import_compat": False}
        response = self.url_open("/web/export/xlsx", data={
            "data": json.dumps(params), "csrf_token": self._csrf(),
        })
        self.assertEqual(response.status_code, 200)

    def test_standard_export_refuses_get(self):
        """Odoo's export routes answer GET too, without CSRF check: for the
        logged models a GET (a link on another site) is refused and logs
        nothing; the web client's POST with its CSRF token still exports."""
        self.user_manager.groups_id += self.env.ref("base.group_allow_export")
        self.authenticate("rep_manager", "rep_manager")
        for model in ("crm.customer", "crm.customer.followup"):
            params = {"model": model,
                      "fields": [{"name": "code", "label": "Code", "type": "char"}],
                      "ids": False, "domain": [], "import_compat": False}
            for fmt in ("xlsx", "csv"):
                url = f"/web/export/{fmt}?{urlencode({'data': json.dumps(params)})}"
                self.assertRefused(url, "Start this export from the Export dialog of the list.")
                # without the CSRF token a POST is refused by Odoo itself
                before = self._export_logs()
                with mute_logger("odoo.http"):
                    response = self.url_open(
                        f"/web/export/{fmt}", data={"data": json.dumps(params)}
                    )
                self.assertEqual(response.status_code, 400)
                self.assertEqual(self._export_logs(), before)
                response = self.url_open(f"/web/export/{fmt}", data={
                    "data": json.dumps(params), "csrf_token": self._csrf(),
                })
                self.assertEqual(response.status_code, 200, response.text[-500:])
                self.assertEqual(self._export_logs(), before + 1)

    def test_list_report_refuses_get(self):
        """report_xlsx's /report/xlsx/<name> route answers GET: the logged
        list exports are refused there and log nothing; the Print menu's
        POST to /report/download (with the CSRF token) still exports."""
        self.authenticate("rep_manager", "rep_manager")
        options = json.dumps({"domain": [], "model": "crm.customer"})
        url = ("/report/xlsx/crm_customer_template_reports.customer_list_xlsx?"
               + urlencode({"options": options}))
        self.assertRefused(url, "Start this export from the Print menu of the list.")
        customers = self.env["crm.customer"].search([], limit=2)
        docids_url = ("/report/xlsx/crm_customer_template_reports.customer_list_xlsx/"
                      + ",".join(map(str, customers.ids)))
        self.assertRefused(docids_url, "Start this export from the Print menu of the list.")
        before = self._export_logs()
        response = self.url_open("/report/download", data={
            "data": json.dumps([docids_url, "xlsx"]), "context": "{}",
            "csrf_token": self._csrf(),
        })
        self.assertEqual(response.status_code, 200, response.text[-500:])
        self.assertEqual(response.content[:2], b"PK")
        self.assertEqual(self._export_logs(), before + 1)

    # ------------------------------------------------------------
    # streaming list export: signed, short-lived links
    # ------------------------------------------------------------
    def _export_logs(self):
        return self.env["crm.customer.log"].search_count([("operation", "=", "export")])

    def _action_url(self, domain, user):
        """The link the list's server action returns, asked over JSON-RPC by
        ``user``, authenticated (as the web client does)."""
        action = self.env.ref(
            "crm_customer_template_reports.action_server_crm_customer_export_xlsx"
        )
        customers = self.env["crm.customer"].with_user(user).search(domain)
        result = self.make_jsonrpc_request("/web/action/run", {
            "action_id": action.id,
            "context": {"active_model": "crm.customer", "active_ids": customers.ids,
                        "active_id": customers[:1].id, "active_domain": domain},
        })
        self.assertEqual((result["type"], result["target"]), ("ir.actions.act_url", "download"))
        return result["url"]

    def _with_query(self, url, **changes):
        """``url`` with query parameters replaced (None drops one)."""
        parts = urlsplit(url)
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        query.update(changes)
        query = {key: value for key, value in query.items() if value is not None}
        return f"{parts.path}?{urlencode(query)}"

    def assertRefused(self, url, message="This export link is not valid for your user."):
        before = self._export_logs()
        with mute_logger("odoo.http"):
            response = self.url_open(url)
        self.assertEqual(response.status_code, 403, url)
        self.assertIn(message, response.text)
        self.assertNotIn(b"PK", response.content[:2])  # no xlsx (zip) at all
        self.assertEqual(self._export_logs(), before, "a refused link must log nothing")

    def test_streaming_export_route(self):
        """The server action's link downloads the rows its user may see, once
        logged in the operation log under that user."""
        self.authenticate("rep_sales_a", "rep_sales_a")
        url = self._action_url([("name", "like", "测试客户")], self.user_sales_a)
        query = parse_qs(urlsplit(url).query)
        self.assertEqual(set(query), {"domain", "expires", "signature"})
        self.assertLessEqual(int(query["expires"][0]), time.time() + 600)
        before = self._export_logs()
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, response.text[:300])
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
        names = sorted(row[1] for row in sheet.iter_rows(min_row=2, values_only=True))
        self.assertEqual(names, ["测试客户 c1", "测试客户 c2", "测试客户 c5", "测试客户 c7"])
        log = self.env["crm.customer.log"].search([("operation", "=", "export")], order="id desc")
        self.assertEqual(self._export_logs(), before + 1)
        self.assertEqual((log[0].user_id, log[0].res_model, log[0].row_count),
                         (self.user_sales_a, "crm.customer", 4))

    def test_streaming_export_route_refuses_unsigned_or_altered_links(self):
        self.authenticate("rep_sales_a", "rep_sales_a")
        url = self._action_url([("name", "like", "测试客户")], self.user_sales_a)
        # a forged link: no signature, no expiry, or either alone
        self.assertRefused(self._with_query(url, signature=None, expires=None))
        self.assertRefused(self._with_query(url, signature=None))
        self.assertRefused(self._with_query(url, expires=None))
        self.assertRefused(self._with_query(url, signature="0" * 64))
        self.assertRefused(self._with_query(url, signature="签名"))  # not even ASCII
        # another domain, the same domain written otherwise, another model,
        # a later expiry: the signature no longer matches
        self.assertRefused(self._with_query(url, domain="[]"))
        self.assertRefused(self._with_query(url, domain='[["name", "like", "测试客户"]]'))
        self.assertRefused(self._with_query(url, domain=json.dumps([("name", "like", "")])))
        self.assertRefused(url.replace("/export/crm.customer?", "/export/crm.customer.followup?"))
        expires = parse_qs(urlsplit(url).query)["expires"][0]
        self.assertRefused(self._with_query(url, expires=str(int(expires) + 3600)))
        # the link itself still works
        self.assertEqual(self.url_open(url).status_code, 200)

    def test_streaming_export_route_refuses_another_users_link(self):
        self.authenticate("rep_sales_a", "rep_sales_a")
        url = self._action_url([("name", "like", "测试客户")], self.user_sales_a)
        for login in ("rep_sales_b", "rep_manager"):
            self.authenticate(login, login)
            self.assertRefused(url)
        self.authenticate(None, None)
        before = self._export_logs()
        response = self.url_open(url, allow_redirects=False)
        self.assertIn(response.status_code, (303, 302))  # to the login page
        self.assertEqual(self._export_logs(), before)

    def test_streaming_export_route_refuses_expired_link(self):
        exporter = self.env["crm.customer.list.xlsx"].with_user(self.user_sales_a)
        domain = [("name", "like", "测试客户")]
        self.authenticate("rep_sales_a", "rep_sales_a")
        self.assertRefused(
            exporter._export_url("crm.customer", domain, expires=int(time.time()) - 1),
            message="This export link has expired.",
        )
        # the same helper with a future expiry gives a working link
        response = self.url_open(
            exporter._export_url("crm.customer", domain, expires=int(time.time()) + 60)
        )
        self.assertEqual(response.status_code, 200)
        # a link the action issued stops working once its lifetime is over
        url = self._action_url(domain, self.user_sales_a)
        with freeze_time(datetime.datetime.fromtimestamp(time.time() + 601, datetime.UTC)):
            self.assertRefused(url, message="This export link has expired.")

    def test_dashboard_tour(self):
        self.start_tour(
            "/odoo/action-crm_customer_template_reports.action_crm_customer_dashboard",
            "crm_customer_dashboard_tour",
            login="rep_manager",
        )
