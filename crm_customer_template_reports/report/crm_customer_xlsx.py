# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""XLSX versions of the customer reports (OCA report_xlsx) and the streaming
list export. Every figure comes from the same value providers as the PDFs,
which call the one KPI service; every text cell goes through
:func:`write_text`, which never lets a spreadsheet evaluate it as a formula."""

import datetime
import json
import math
import re
import time
from urllib.parse import urlencode

import pytz
from xlsxwriter.utility import datetime_to_excel_datetime, xl_col_to_name

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import consteq, split_every
from odoo.tools.misc import hmac as hmac_sign

# A cell starting with one of these is read as a formula (or DDE payload) by
# spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
EXPORT_BATCH = 2000
# A link of the streaming list export is signed for one user, model and domain
# and is valid this many seconds (the web client opens it at once).
EXPORT_LINK_LIFETIME = 600
EXPORT_LINK_SCOPE = "crm_customer_template_reports.list_export"
EXPORT_FIELDS = {
    "crm.customer": [
        "code", "name", "customer_kind", "credit_code", "state", "grade", "industry_id",
        "source_id", "contact_name", "PHONE", "EMAIL", "user_id", "team_id", "company_id",
        "create_date", "last_followup_date",
    ],
    "crm.customer.followup": [
        "code", "customer_id", "followup_date", "method_id", "user_id", "content",
        "next_plan", "next_date",
    ],
    "crm.customer.need": [
        "code", "customer_id", "need_type_id", "priority", "state", "user_id",
        "description", "solution", "date_done",
    ],
    "crm.customer.feedback": [
        "code", "customer_id", "feedback_type_id", "feedback_date", "satisfaction", "user_id",
        "description", "process", "result",
    ],
}


def is_formula_like(value):
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def is_rich_string_like(value):
    """XlsxWriter copies a text shaped like ``<r>…</r>`` into the file as raw
    rich-string XML (a customer name could inject markup into the sheet)."""
    return isinstance(value, str) and value.startswith("<r>") and value.endswith("</r>")


def neutralise(value):
    """A text a spreadsheet could read as a formula, or XlsxWriter as raw
    XML, prefixed with an apostrophe (as Odoo's own CSV export does for
    formulas; XlsxWriter 3.0.2 pinned by Odoo has no quote_prefix format)."""
    if is_formula_like(value) or is_rich_string_like(value):
        return "'" + value
    return value


def write_text(worksheet, row, col, value, cell_format=None, quoted_format=None):
    """Write a value; a text is always written as a string cell (never a
    formula), and one that looks like a formula is neutralised."""
    if value is None or value is False:
        worksheet.write_blank(row, col, None, cell_format)
    elif isinstance(value, str):
        worksheet.write_string(row, col, neutralise(value), cell_format)
    elif isinstance(value, bool):
        worksheet.write_boolean(row, col, value, cell_format)
    elif isinstance(value, (int, float)):
        worksheet.write_number(row, col, value, cell_format)
    else:
        worksheet.write_string(row, col, str(value), cell_format)


# What xlsxwriter rewrites in an inline string (worksheet._write_cell and
# xmlwriter._escape_data): an existing _xHHHH_ escape, control characters,
# the non-characters U+FFFE/U+FFFF, and the XML specials & < >.
XML_REWRITE = re.compile("_x[0-9a-fA-F]{4}_|[\x00-\x08\x0b-\x1f&<>\ufffe\uffff]")
XLSX_ESCAPE = re.compile("(_x[0-9a-fA-F]{4}_)")
XLSX_CONTROL = re.compile("([\x00-\x08\x0b-\x1f])")


def xlsx_inline_string(value, strmax=32767):
    """The ``<is>`` element of an inline string cell for ``value``, as
    xlsxwriter writes it in ``constant_memory`` mode (formula-like and
    rich-string-like texts neutralised first, as :func:`write_text` does)."""
    value = neutralise(value)[:strmax]
    if XML_REWRITE.search(value):
        value = XLSX_ESCAPE.sub(r"_x005F\1", value)
        value = XLSX_CONTROL.sub(lambda match: "_x%04X_" % ord(match.group(1)), value)
        value = value.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if value and (value[0].isspace() or value[-1].isspace()):
        return '<is><t xml:space="preserve">%s</t></is>' % value
    return "<is><t>%s</t></is>" % value


class InlineRowWriter:
    """Writes whole data rows of a ``constant_memory`` worksheet, one string
    per batch, into the worksheet's own row file.

    xlsxwriter spends ~4.5 us per cell (cell tuple, row flush, attribute
    escaping); the rows of a list export are uniform, so their XML is built
    here column by column, exactly as xlsxwriter would write it: inline
    strings, numbers ``%.16G``, booleans, dates and datetimes as serial
    numbers with their format's xf index, no cell for an empty value, no
    ``<row>`` for a row without cells. The worksheet's row and dimension
    bookkeeping is updated so that ``workbook.close()`` assembles a valid
    file, and cells may still be written with xlsxwriter after the rows.
    """

    def __init__(self, sheet, first_row, ncols):
        self.sheet = sheet
        self.row = first_row  # next row to write (zero-based)
        self.ncols = ncols
        self.letters = [xl_col_to_name(col) for col in range(ncols)]
        # flush what xlsxwriter holds (the header row) before our rows
        sheet._write_single_row(first_row)

    @staticmethod
    def supports(sheet):
        """Only a plain constant_memory worksheet: no row properties or
        comments xlsxwriter would have to merge into the data rows."""
        return bool(
            sheet.constant_memory
            and not sheet.set_rows
            and not sheet.comments
            and sheet.excel_version == 2007
            and sheet.default_row_height == sheet.original_row_height
        )

    def cells(self, values, cell_format, convert=None):
        """The cell XML after ``<c r="A1"`` of each value of one column (a
        text, number, boolean, date or datetime, after ``convert``), or None
        for an empty value."""
        style = ' s="%d"' % cell_format._get_xf_index()
        text_head = style + ' t="inlineStr">'
        plain_head = text_head + "<is><t>"
        sheet = self.sheet
        strmax = sheet.xls_strmax
        rewrite = XML_REWRITE.search
        result = []
        append = result.append
        for value in values:
            if value is False or value is None:
                append(None)
                continue
            if convert:
                value = convert(value)
            if value.__class__ is str:
                if (
                    value
                    and len(value) <= strmax
                    and not value.startswith(FORMULA_PREFIXES)
                    and not rewrite(value)
                    and not value[0].isspace()
                    and not value[-1].isspace()
                ):
                    # most texts: nothing to neutralise, cut or escape
                    append(plain_head + value + "</t></is></c>")
                else:
                    append(text_head + xlsx_inline_string(value, strmax) + "</c>")
            elif isinstance(value, bool):
                append('%s t="b"><v>%d</v></c>' % (style, value))
            elif isinstance(value, (int, float)):
                if isinstance(value, float) and not math.isfinite(value):
                    raise TypeError("NAN/INF not supported in an XLSX cell")
                append("%s><v>%.16G</v></c>" % (style, value))
            elif isinstance(value, (datetime.date, datetime.datetime)):
                number = datetime_to_excel_datetime(value, sheet.date_1904, sheet.remove_timezone)
                append("%s><v>%.16G</v></c>" % (style, number))
            else:
                append(text_head + xlsx_inline_string(str(value), strmax) + "</c>")
        return result

    def write_rows(self, columns):
        """Write one row per position of ``columns`` (lists of cells from
        :meth:`cells`); returns the number of rows written."""
        sheet = self.sheet
        rows = list(zip(*columns, strict=True))[: max(sheet.xls_rowmax - self.row, 0)]
        # rows past the sheet's end are dropped, as xlsxwriter does
        out = []
        letters = self.letters
        last_row = None
        for offset, cells in enumerate(rows):
            number = self.row + offset + 1
            parts = [
                '<c r="%s%d"%s' % (letters[col], number, cell)
                for col, cell in enumerate(cells)
                if cell is not None
            ]
            if parts:
                out.append('<row r="%d">%s</row>' % (number, "".join(parts)))
                last_row = number - 1
        if last_row is not None:
            sheet.fh.write("".join(out))
            # the dimensions xlsxwriter records for the cells written
            used = [col for col, cells in enumerate(columns) if any(c is not None for c in cells)]
            sheet._check_dimensions(last_row, min(used))
            sheet._check_dimensions(last_row, max(used))
        self.row += len(rows)
        sheet.previous_row = self.row
        return len(rows)


class CrmCustomerXlsxMixin(models.AbstractModel):
    _name = "crm.customer.xlsx.mixin"
    _inherit = "report.report_xlsx.abstract"
    _description = "Customer XLSX Report Helpers"

    def _formats(self, workbook):
        return {
            "title": workbook.add_format({"bold": True, "font_size": 14}),
            "bold": workbook.add_format({"bold": True}),
            "header": workbook.add_format({"bold": True, "bg_color": "#e9ecef", "border": 1}),
            "text": workbook.add_format({}),
            "quoted": workbook.add_format({}),
        }

    def _write_heading(self, sheet, fmt, values):
        sheet.write_string(0, 0, values["company_name"] or "", fmt["bold"])
        sheet.write_string(1, 0, values["title"], fmt["title"])
        if values.get("filter_text"):
            sheet.write_string(2, 0, _("Filter: %(filter)s", filter=values["filter_text"]))
        sheet.write_string(3, 0, _("Printed on: %(date)s", date=values["print_date"]))
        return 5

    def _write_table(self, sheet, fmt, row, headers, rows):
        for col, header in enumerate(headers):
            sheet.write_string(row, col, header, fmt["header"])
        row += 1
        for values in rows:
            for col, value in enumerate(values):
                write_text(sheet, row, col, value, fmt["text"], fmt["quoted"])
            row += 1
        return row + 1


class ReportKpiSummaryXlsx(models.AbstractModel):
    _name = "report.crm_customer_template_reports.kpi_xlsx"
    _inherit = "crm.customer.xlsx.mixin"
    _description = "Customer KPI Summary (XLSX)"

    def _get_objs_for_report(self, docids, data):
        return self.env["crm.customer.report.wizard"].browse(docids)

    def generate_xlsx_report(self, workbook, data, objs):
        values = self.env["report.crm_customer_template_reports.report_kpi_summary"]._get_report_values(
            objs.ids, data
        )
        fmt = self._formats(workbook)
        sheet = workbook.add_worksheet(_("KPI"))
        sheet.set_column(0, 0, 36)
        sheet.set_column(1, 10, 14)
        row = self._write_heading(sheet, fmt, values)
        row = self._write_table(
            sheet, fmt, row,
            [_("Figure"), _("Value"), _("Previous period"), _("Change %"), _("Unit")],
            [
                [tile["label"], tile["value"], tile["previous"], tile["change"], tile["unit"]]
                for tile in values["tiles"]
            ],
        )
        kpis = values["kpis"]
        trend_keys = [tile["key"] for tile in values["tiles"]]
        row = self._write_table(
            sheet, fmt, row,
            [_("Month")] + [tile["label"] for tile in values["tiles"]],
            [
                [month] + [kpis["tiles"][key]["trend"][index] for key in trend_keys]
                for index, month in enumerate(kpis["months"])
            ],
        )
        row = self._write_table(
            sheet, fmt, row, [_("Stage"), _("Customers"), _("Rate from previous stage %")],
            [[s["label"], s["value"], s["rate"]] for s in kpis["funnel"]],
        )
        row = self._write_table(
            sheet, fmt, row, [_("No follow-up for"), _("Customers")],
            [[s["label"], s["value"]] for s in kpis["forgotten"]],
        )
        row = self._write_table(
            sheet, fmt, row,
            [_("Salesperson"), _("Customers"), _("Follow-ups"), _("24-hour compliance %"), _("Won")],
            [[r["name"], r["customers"], r["followups"], r["compliance"], r["won"]]
             for r in kpis["salespeople"]],
        )
        sheet2 = workbook.add_worksheet(_("Breakdowns"))
        sheet2.set_column(0, 0, 36)
        row = 0
        for breakdown in values["breakdowns"]:
            sheet2.write_string(row, 0, breakdown["label"], fmt["bold"])
            row = self._write_table(
                sheet2, fmt, row + 1, [_("Segment"), _("Count")],
                [[str(seg["label"]), seg["value"]] for seg in breakdown["segments"]],
            )


class ReportFollowupLogXlsx(models.AbstractModel):
    _name = "report.crm_customer_template_reports.followup_xlsx"
    _inherit = "crm.customer.xlsx.mixin"
    _description = "Customer Follow-up Log (XLSX)"

    def _get_objs_for_report(self, docids, data):
        return self.env["crm.customer.report.wizard"].browse(docids)

    def generate_xlsx_report(self, workbook, data, objs):
        values = self.env["report.crm_customer_template_reports.report_followup_log"]._get_report_values(
            objs.ids, data
        )
        fmt = self._formats(workbook)
        sheet = workbook.add_worksheet(_("Follow-ups"))
        sheet.set_column(0, 6, 20)
        row = self._write_heading(sheet, fmt, values)
        row = self._write_table(
            sheet, fmt, row, [_("Follow-ups"), _("Average follow-up cycle"), _("24-hour compliance")],
            [[values["total"], values["avg_cycle"], values["compliance"]]],
        )
        row = self._write_table(
            sheet, fmt, row, [_("Salesperson"), _("Follow-ups")],
            [[s["label"], s["value"]] for s in values["by_user"]],
        )
        row = self._write_table(
            sheet, fmt, row, [_("Method"), _("Follow-ups")],
            [[s["label"], s["value"]] for s in values["by_method"]],
        )
        # all rows of the period, batched (the PDF prints the first ones only)
        domain = values["kpis"]["tiles"]["followup_count"]["domain"]
        common = self.env["crm.customer.report.common"]
        headers = [_("Date"), _("Code"), _("Customer"), _("Method"), _("Salesperson"),
                   _("Content"), _("Next plan")]
        for col, header in enumerate(headers):
            sheet.write_string(row, col, header, fmt["header"])
        row += 1
        Followup = self.env["crm.customer.followup"]
        for ids in split_every(EXPORT_BATCH, Followup.search(domain, order="followup_date, id").ids):
            for followup in Followup.browse(ids):
                for col, value in enumerate([
                    common._format_dt(followup.followup_date), followup.code,
                    followup.customer_id.display_name, followup.method_id.display_name,
                    followup.user_id.display_name, followup.content, followup.next_plan,
                ]):
                    write_text(sheet, row, col, value, fmt["text"], fmt["quoted"])
                row += 1
            Followup.invalidate_model()


class ReportSatisfactionXlsx(models.AbstractModel):
    _name = "report.crm_customer_template_reports.satisfaction_xlsx"
    _inherit = "crm.customer.xlsx.mixin"
    _description = "Customer Satisfaction (XLSX)"

    def _get_objs_for_report(self, docids, data):
        return self.env["crm.customer.report.wizard"].browse(docids)

    def generate_xlsx_report(self, workbook, data, objs):
        values = self.env["report.crm_customer_template_reports.report_satisfaction"]._get_report_values(
            objs.ids, data
        )
        fmt = self._formats(workbook)
        sheet = workbook.add_worksheet(_("Satisfaction"))
        sheet.set_column(0, 6, 20)
        row = self._write_heading(sheet, fmt, values)
        row = self._write_table(
            sheet, fmt, row, [_("Feedback"), _("Rated"), _("Average satisfaction")],
            [[values["total"], values["rated"], values["kpis"]["tiles"]["satisfaction_avg"]["value"]]],
        )
        row = self._write_table(
            sheet, fmt, row, [_("Score"), _("Feedback"), _("Share %")],
            [[s["key"], s["value"], s["share"]] for s in values["distribution"]],
        )
        row = self._write_table(
            sheet, fmt, row, [_("Feedback type"), _("Feedback")],
            [[s["label"], s["value"]] for s in values["by_type"]],
        )
        self._write_table(
            sheet, fmt, row,
            [_("Date"), _("Code"), _("Customer"), _("Type"), _("Satisfaction"), _("Description"),
             _("Result")],
            [[r["date"], r["code"], r["customer"], r["type"], r["satisfaction"], r["description"],
              r["result"]] for r in values["rows"]],
        )


class ReportCustomerProfileXlsx(models.AbstractModel):
    _name = "report.crm_customer_template_reports.profile_xlsx"
    _inherit = "crm.customer.xlsx.mixin"
    _description = "Customer Profile (XLSX)"

    def generate_xlsx_report(self, workbook, data, objs):
        values = self.env[
            "report.crm_customer_template_reports.report_customer_profile"
        ]._get_report_values(objs.ids, data)
        fmt = self._formats(workbook)
        for profile in values["profiles"]:
            customer = profile["customer"]
            sheet = workbook.add_worksheet(customer.code or str(customer.id))
            sheet.set_column(0, 5, 22)
            row = self._write_heading(sheet, fmt, values)
            row = self._write_table(sheet, fmt, row, [_("Field"), _("Value")], [
                [_("Code"), customer.code],
                [_("Name"), customer.name],
                [_("Customer type"), profile["kind"]],
                [_("Status"), profile["state"]],
                [_("Grade"), profile["grade"]],
                [_("Credit code"), customer.credit_code],
                [_("Industry"), customer.industry_id.display_name],
                [_("Source"), customer.source_id.display_name],
                [_("Contact"), customer.contact_name],
                [_("Phone"), profile["phone"]],
                [_("Salesperson"), customer.user_id.display_name],
                [_("Created on"), profile["created"]],
                [_("Last follow-up"), profile["last_followup"]],
            ])
            row = self._write_table(
                sheet, fmt, row,
                [_("Date"), _("Method"), _("Salesperson"), _("Content"), _("Next plan")],
                [[r["date"], r["method"], r["user"], r["content"], r["next_plan"]]
                 for r in profile["followups"]],
            )
            row = self._write_table(
                sheet, fmt, row,
                [_("Code"), _("Type"), _("Priority"), _("Status"), _("Description")],
                [[r["code"], r["type"], r["priority"], r["state"], r["description"]]
                 for r in profile["needs"]],
            )
            row = self._write_table(
                sheet, fmt, row,
                [_("Date"), _("Type"), _("Satisfaction"), _("Description"), _("Result")],
                [[r["date"], r["type"], r["satisfaction"], r["description"], r["result"]]
                 for r in profile["feedback"]],
            )
            if values["ledger_available"]:
                self._write_table(
                    sheet, fmt, row,
                    [_("Date"), _("Change"), _("From"), _("To"), _("By"), _("Evidence")],
                    [[r["date"], r["kind"], r["from"], r["to"], r["user"], r["evidence"]]
                     for r in profile["history"]],
                )


class ReportListExportXlsx(models.AbstractModel):
    """Streaming export of a filtered list: rows are read in batches of
    EXPORT_BATCH ids with ``search_fetch`` (record rules apply) and written
    with xlsxwriter's ``constant_memory`` mode, so memory stays flat."""

    _name = "crm.customer.list.xlsx"
    _inherit = "crm.customer.xlsx.mixin"
    _description = "Customer Records Export (XLSX)"
    _list_model = None

    def get_workbook_options(self):
        return {"constant_memory": True}

    def _get_objs_for_report(self, docids, data):
        model = self._list_model or (data or {}).get("model")
        if model not in EXPORT_FIELDS:
            raise UserError(_("This export is not available for %(model)s.", model=model))
        return self.env[model].browse(docids or [])

    @api.model
    def _export_fields(self, model):
        """Exported fields: contact data through the masked field, and only
        fields the user may read."""
        Model = self.env[model]
        common = self.env["crm.customer.report.common"]
        result = []
        for fname in self.env.context.get("crm_export_fields") or EXPORT_FIELDS[model]:
            if fname in ("PHONE", "EMAIL"):
                fname = common._masked_field(fname.lower())
            field = Model._fields.get(fname)
            if not field or not field.is_accessible(self.env):
                continue
            result.append(field)
        return result

    def generate_xlsx_report(self, workbook, data, objs):
        model = objs._name
        Model = self.env[model]
        if objs:
            domain = [("id", "in", objs.ids)]
        else:
            domain = (data or {}).get("domain") or []
        self._write_records(workbook, Model, domain)

    @api.model
    def _action_export(self, records):
        """Server action of the lists: download every selected record, or
        every record of the list's domain when the whole list is selected."""
        self._check_export_right()
        domain = self.env.context.get("active_domain")
        if not domain or len(records) <= EXPORT_BATCH:
            domain = [("id", "in", records.ids)]
        return {
            "type": "ir.actions.act_url",
            "url": self._export_url(records._name, domain),
            "target": "download",
        }

    @api.model
    def _export_signature(self, model, domain_json, expires):
        """HMAC-SHA256 (key: the database secret) of the current user, the
        model, the exact domain text and the expiry of an export link."""
        return hmac_sign(
            self.env(su=True), EXPORT_LINK_SCOPE, (self.env.uid, model, domain_json, expires)
        )

    @api.model
    def _export_url(self, model, domain, expires=None):
        """Link of the streaming export of ``model`` records matching
        ``domain``, signed for the current user and valid until ``expires``
        (a Unix timestamp, by default EXPORT_LINK_LIFETIME seconds from now).
        A GET link without a signature could be forged by another site."""
        domain_json = json.dumps(domain)
        if expires is None:
            expires = int(time.time()) + EXPORT_LINK_LIFETIME
        query = urlencode({
            "domain": domain_json,
            "expires": expires,
            "signature": self._export_signature(model, domain_json, expires),
        })
        return f"/crm_customer_template_reports/export/{model}?{query}"

    @api.model
    def _check_export_link(self, model, domain_json, expires, signature):
        """Refuse an export link not signed for this user, model and domain,
        or expired (the route answers 403)."""
        try:
            expires = int(expires)
        except (TypeError, ValueError):
            expires = None
        expected = self._export_signature(model, domain_json, expires)
        if not signature or expires is None or not consteq(
            str(signature).encode(), expected.encode()
        ):
            raise AccessError(_(
                "This export link is not valid for your user. Export the list again "
                "from its Actions menu."
            ))
        if expires < time.time():
            raise AccessError(_(
                "This export link has expired. Export the list again from its Actions menu."
            ))

    @api.model
    def _export_file(self, model, domain, fileobj):
        """Write the export of ``model`` records matching ``domain`` into
        ``fileobj`` (the controller streams it); returns the row count."""
        import xlsxwriter

        if model not in EXPORT_FIELDS:
            raise UserError(_("This export is not available for %(model)s.", model=model))
        workbook = xlsxwriter.Workbook(fileobj, self.get_workbook_options())
        try:
            count = self._write_records(workbook, self.env[model], list(domain or []))
        finally:
            workbook.close()
        return count

    @api.model
    def _column(self, records, field):
        """Values of ``field`` for the batch ``records``, from the cache the
        batch query filled (a many2one gives its display name, read with
        sudo like ``read()`` does, once per related record)."""
        if not field.store:
            records[:1][field.name]  # noqa: B018 - computes the whole batch (prefetch)
        values = self.env.cache.get_until_miss(records, field)
        if len(values) != len(records):
            values = [
                record[field.name].id if field.type == "many2one" else record[field.name]
                for record in records
            ]
        if field.type == "many2one":
            related = self.env[field.comodel_name].browse({v for v in values if v}).sudo()
            names = {record.id: record.display_name for record in related}
            values = [names.get(v, False) if v else False for v in values]
        return values

    @api.model
    def _check_export_right(self):
        """The right of Odoo's own Export (``export_data``): administrators
        and the users of "Access to export feature"."""
        if not (self.env.is_admin() or self.env.user.has_group("base.group_allow_export")):
            raise AccessError(
                _("You don't have the rights to export data. Please contact an Administrator.")
            )

    @api.model
    def _write_records(self, workbook, Model, domain):
        self._check_export_right()
        fmt = self._formats(workbook)
        fmt["datetime"] = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        fmt["date"] = workbook.add_format({"num_format": "yyyy-mm-dd"})
        export_fields = self._export_fields(Model._name)
        sheet = workbook.add_worksheet(Model._description)
        for col, field in enumerate(export_fields):
            sheet.write_string(0, col, field._description_string(self.env), fmt["header"])
            sheet.set_column(col, col, 20)
        selections = {
            field.name: dict(field._description_selection(self.env))
            for field in export_fields if field.type == "selection"
        }
        row = 1
        last_id = 0
        exported_ids = []
        fnames = [field.name for field in export_fields]
        kinds = [field.type for field in export_fields]
        tz = pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")
        text_format, date_format, datetime_format = fmt["text"], fmt["date"], fmt["datetime"]
        fast = InlineRowWriter.supports(sheet) and InlineRowWriter(sheet, row, len(export_fields))

        def local_datetime(value):
            return pytz.utc.localize(value).astimezone(tz).replace(tzinfo=None)

        while True:
            # one batch: stored columns in one query (record rules apply),
            # computed (masked) fields computed once for the batch
            records = Model.search_fetch(
                domain + [("id", ">", last_id)], fnames, order="id", limit=EXPORT_BATCH
            )
            if not records:
                break
            columns = [self._column(records, field) for field in export_fields]
            if fast:
                cells = []
                for field, values in zip(export_fields, columns, strict=True):
                    if field.type == "selection":
                        labels = selections[field.name]
                        cells.append(
                            fast.cells(values, text_format, lambda v, lb=labels: lb.get(v, v))
                        )
                    elif field.type == "datetime":
                        cells.append(fast.cells(values, datetime_format, local_datetime))
                    elif field.type == "date":
                        cells.append(fast.cells(values, date_format))
                    else:
                        cells.append(fast.cells(values, text_format))
                row += fast.write_rows(cells)
            else:
                row = self._write_rows_cellwise(
                    sheet, row, columns, kinds, fnames, selections, local_datetime, fmt
                )
            last_id = records[-1].id
            exported_ids.extend(records.ids)
            # drop the batch from the cache: memory stays flat on 100k rows
            self.env.invalidate_all()
        if "crm.customer.log" in self.env:
            # the operation log of the access add-on, as for Odoo's own export
            self.env["crm.customer.log"]._log_export(Model.browse(exported_ids), fnames)
        return row - 1

    @api.model
    def _write_rows_cellwise(self, sheet, row, columns, kinds, fnames, selections,
                             local_datetime, fmt):
        """Rows through xlsxwriter's cell API (a sheet :class:`InlineRowWriter`
        cannot write); returns the next row."""
        for values in zip(*columns, strict=True):
            for col, (value, kind) in enumerate(zip(values, kinds, strict=True)):
                if value is False or value is None:
                    continue
                if kind == "selection":
                    value = selections[fnames[col]].get(value, value)
                elif kind == "datetime":
                    sheet.write_datetime(row, col, local_datetime(value), fmt["datetime"])
                    continue
                elif kind == "date":
                    sheet.write_datetime(
                        row, col, datetime.datetime.combine(value, datetime.time.min),
                        fmt["date"],
                    )
                    continue
                write_text(sheet, row, col, value, fmt["text"])
            row += 1
        return row


class ReportCustomerListXlsx(models.AbstractModel):
    _name = "report.crm_customer_template_reports.customer_list_xlsx"
    _inherit = "crm.customer.list.xlsx"
    _description = "Customers Export (XLSX)"
    _list_model = "crm.customer"


class ReportFollowupListXlsx(models.AbstractModel):
    _name = "report.crm_customer_template_reports.followup_list_xlsx"
    _inherit = "crm.customer.list.xlsx"
    _description = "Follow-ups Export (XLSX)"
    _list_model = "crm.customer.followup"


class ReportNeedListXlsx(models.AbstractModel):
    _name = "report.crm_customer_template_reports.need_list_xlsx"
    _inherit = "crm.customer.list.xlsx"
    _description = "Needs Export (XLSX)"
    _list_model = "crm.customer.need"


class ReportFeedbackListXlsx(models.AbstractModel):
    _name = "report.crm_customer_template_reports.feedback_list_xlsx"
    _inherit = "crm.customer.list.xlsx"
    _description = "Feedback Export (XLSX)"
    _list_model = "crm.customer.feedback"
