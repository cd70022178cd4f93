# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import tempfile

from odoo import _, http
from odoo.exceptions import AccessError
from odoo.http import content_disposition, request

from odoo.addons.report_xlsx.controllers.main import ReportController
from odoo.addons.web.controllers.export import (
    CSVExport,
    ExcelExport,
    ExportXlsxWriter,
    GroupExportXlsxWriter,
)

from ..report.crm_customer_xlsx import EXPORT_FIELDS, neutralise

SAFE_MODELS = frozenset(EXPORT_FIELDS)
# the list exports, also reachable as report_xlsx reports (Print menu)
LIST_REPORTS = frozenset(
    f"crm_customer_template_reports.{name}_list_xlsx"
    for name in ("customer", "followup", "need", "feedback")
)


class _SafeWriteMixin:
    """Odoo's xlsx export writes any text through ``worksheet.write``, which
    turns a text starting with '=' into a live formula. Texts go through
    ``write_string`` here, formula-like ones prefixed with an apostrophe."""

    def write(self, row, column, cell_value, style=None):
        if isinstance(cell_value, str):
            self.worksheet.write_string(row, column, neutralise(cell_value), style)
        else:
            super().write(row, column, cell_value, style)


class SafeExportXlsxWriter(_SafeWriteMixin, ExportXlsxWriter):
    pass


class SafeGroupExportXlsxWriter(_SafeWriteMixin, GroupExportXlsxWriter):
    pass


def _check_export_method(model):
    """Odoo's export routes also answer GET, which skips the CSRF check: a
    link on another site could run an export, logged in the operation log in
    the user's name. The web client always POSTs with its CSRF token, so a GET
    export of our logged models is refused (403)."""
    if model in SAFE_MODELS and request.httprequest.method != "POST":
        raise AccessError(_("Start this export from the Export dialog of the list."))


class CrmCustomerCsvExport(CSVExport):
    @http.route()
    def web_export_csv(self, data):
        _check_export_method(json.loads(data).get("model"))
        return super().web_export_csv(data)


class CrmCustomerExcelExport(ExcelExport):
    @http.route()
    def web_export_xlsx(self, data):
        model = json.loads(data).get("model")
        _check_export_method(model)
        request.update_context(crm_safe_xlsx=model in SAFE_MODELS)
        return super().web_export_xlsx(data)

    def from_data(self, fields, columns_headers, rows):
        if not request.env.context.get("crm_safe_xlsx"):
            return super().from_data(fields, columns_headers, rows)
        with SafeExportXlsxWriter(fields, columns_headers, len(rows)) as xlsx_writer:
            for row_index, row in enumerate(rows):
                for cell_index, cell_value in enumerate(row):
                    xlsx_writer.write_cell(row_index + 1, cell_index, cell_value)
        return xlsx_writer.value

    def from_group_data(self, fields, columns_headers, groups):
        if not request.env.context.get("crm_safe_xlsx"):
            return super().from_group_data(fields, columns_headers, groups)
        with SafeGroupExportXlsxWriter(fields, columns_headers, groups.count) as xlsx_writer:
            x, y = 1, 0
            for group_name, group in groups.children.items():
                x, y = xlsx_writer.write_group(x, y, group_name, group)
        return xlsx_writer.value


class CrmCustomerReportController(ReportController):
    @http.route()
    def report_routes(self, reportname, docids=None, converter=None, **data):
        """report_xlsx's route answers GET (no CSRF check) with a whole
        domain in its options: like Odoo's export, the logged list exports
        run only from the web client's POST (/report/download)."""
        if converter == "xlsx" and reportname in LIST_REPORTS \
                and request.httprequest.method != "POST":
            raise AccessError(_("Start this export from the Print menu of the list."))
        return super().report_routes(reportname, docids=docids, converter=converter, **data)


class CrmCustomerReports(http.Controller):
    @http.route(
        "/crm_customer_template_reports/export/<string:model>",
        type="http", auth="user", methods=["GET", "POST"],
    )
    def export_list_xlsx(self, model, domain="[]", expires=None, signature=None, **kwargs):
        """Stream a filtered list export (record rules and masking apply).
        Only a link signed for this user, model and domain by the list's
        server action, and not expired, is served (403 otherwise)."""
        exporter = request.env["crm.customer.list.xlsx"]
        exporter._check_export_link(model, domain, expires, signature)
        domain = json.loads(domain)
        spool = tempfile.TemporaryFile()
        exporter._export_file(model, domain, spool)
        spool.seek(0, 2)
        size = spool.tell()
        spool.seek(0)
        filename = "%s.xlsx" % request.env[model]._description
        return request.make_response(
            _iter_file(spool),
            headers=[
                ("Content-Type",
                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                ("Content-Length", str(size)),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )


def _iter_file(fileobj, chunk=65536):
    try:
        while True:
            data = fileobj.read(chunk)
            if not data:
                break
            yield data
    finally:
        fileobj.close()
