# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Import engine shared by the import wizard, the background job and the
benchmark: read the file, map the headers, normalise and validate each row
(the model's own constraints, in batch), then create or update in chunks.

Reading builds on ``base_import``: CSV goes through
``base_import.import._read_csv`` (quoting and separator detection) once the
encoding is known (this engine adds the BOM / UTF-8 / GB18030 guess that
chardet gets wrong for short Chinese files); XLSX is streamed with openpyxl in
read-only mode, formulas kept as their text (``base_import`` loads the whole
workbook and returns the cached *result* of formulas). Headers also match the
column mappings users saved in Odoo's own import screen (``base_import.mapping``).
"""

import codecs
import datetime
import io
import logging
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field

import psycopg2
import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import email_normalize, plaintext2html

_logger = logging.getLogger(__name__)

try:
    from openpyxl import load_workbook
except ImportError:  # pragma: no cover - openpyxl is an Odoo requirement
    load_workbook = None

CHUNK_SIZE = 1000
DEFAULT_MAX_ROWS = 200000
DEFAULT_BACKGROUND_ROWS = 5000
PARAM_MAX_ROWS = "crm_customer_template.import_max_rows"
PARAM_BACKGROUND_ROWS = "crm_customer_template.import_background_rows"

XLSX_MAGIC = b"PK\x03\x04"
HEADER_NOISE_RE = re.compile(r"[*＊]|[(（](?:必填|required)[)）]", re.IGNORECASE)
LIST_SPLIT_RE = re.compile(r"[,，;；、|]")
PROVINCE_SUFFIX_RE = re.compile(
    r"(?:壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区|省|市)$"
)
DATE_FORMATS = ("%Y-%m-%d", "%Y%m%d", "%d-%m-%Y")
DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
)


@dataclass(frozen=True)
class Column:
    """One importable column: the field it fills, its bilingual header and
    how a cell is converted."""

    fname: str
    en: str
    zh: str
    ctype: str
    required: bool = False
    comodel: str = ""
    zh_values: dict = field(default_factory=dict)
    writable: bool = True

    def header(self):
        return f"{'*' if self.required else ''}{self.zh} / {self.en}"


SELECTION_ZH = {
    "customer_kind": {"company": ("企业", "公司", "单位"), "person": ("个人",)},
    "state": {
        "potential": ("潜在客户", "潜在"),
        "intent": ("意向客户", "意向"),
        "won": ("成交客户", "成交", "已成交"),
        "lost": ("流失客户", "流失", "已流失"),
    },
    "grade": {"a": ("A", "A类", "高价值"), "b": ("B", "B类", "中等"), "c": ("C", "C类", "低")},
    "gender": {"male": ("男",), "female": ("女",), "other": ("其他",)},
}

CUSTOMER_COLUMNS = (
    Column("code", "Code", "客户编号", "key", writable=False),
    Column("name", "Customer Name", "客户名称", "char", required=True),
    Column("customer_kind", "Customer Type", "客户类型", "selection",
           zh_values=SELECTION_ZH["customer_kind"]),
    Column("credit_code", "Unified Social Credit Code", "统一社会信用代码", "upper"),
    Column("state", "Status", "客户状态", "selection", zh_values=SELECTION_ZH["state"]),
    Column("industry_id", "Industry", "所属行业", "dictionary", required=True,
           comodel="res.partner.industry"),
    Column("contact_name", "Contact Person", "联系人", "char", required=True),
    Column("phone", "Phone", "联系电话", "phone", required=True),
    Column("email", "Email", "邮箱", "email"),
    Column("grade", "Grade", "客户等级", "selection", zh_values=SELECTION_ZH["grade"]),
    Column("source_id", "Source", "客户来源", "dictionary", comodel="crm.customer.source"),
    Column("user_id", "Owner", "跟进人", "user"),
    Column("country_id", "Country", "国家", "country"),
    Column("state_id", "Province", "省份", "province"),
    Column("city", "City", "城市", "char"),
    Column("street", "Street", "详细地址", "char"),
    Column("gender", "Gender", "性别", "selection", zh_values=SELECTION_ZH["gender"]),
    Column("birth_date", "Birth Date", "出生日期", "date"),
    Column("employee_count", "Headcount", "员工人数", "integer"),
    Column("annual_revenue", "Annual Revenue", "年营业额", "float"),
    Column("product_interest", "Intended Products", "合作意向产品", "text"),
    Column("tag_ids", "Key Need Tags", "关键需求标签", "tags", comodel="crm.customer.tag"),
    Column("note", "Notes", "备注", "html"),
)

FOLLOWUP_COLUMNS = (
    Column("customer_code", "Customer Code", "客户编号", "customer_code", writable=False),
    Column("customer_credit_code", "Customer Credit Code", "客户统一社会信用代码",
           "customer_credit_code", writable=False),
    Column("followup_date", "Follow-up Date", "跟进时间", "datetime", required=True),
    Column("method_id", "Method", "跟进方式", "dictionary", required=True,
           comodel="crm.customer.followup.method"),
    Column("content", "Content", "跟进内容", "text", required=True),
    Column("next_plan", "Next Plan", "下次跟进计划", "text"),
    Column("next_date", "Next Follow-up Date", "下次跟进日期", "date"),
    Column("user_id", "Followed up by", "跟进人", "user"),
)

PROFILES = {
    "customer": {"model": "crm.customer", "columns": CUSTOMER_COLUMNS},
    "followup": {"model": "crm.customer.followup", "columns": FOLLOWUP_COLUMNS},
}


def _norm(value):
    """Key used to compare names: case-folded, inner blanks collapsed."""
    return " ".join(str(value).split()).casefold() if value else ""


@dataclass
class RowResult:
    """Outcome of one data row (``row`` is its number in the file, header = 1)."""

    row: int
    values: list
    vals: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    action: str = "create"  # create / update / skip
    res_id: int = 0
    dup_key: tuple = ()
    pending_province: str = ""


class CrmCustomerImportEngine(models.AbstractModel):
    _name = "crm.customer.import.engine"
    _description = "Customer Import Engine"

    # ------------------------------------------------------------
    # SETTINGS
    # ------------------------------------------------------------

    @api.model
    def _get_int_param(self, key, default):
        value = self.env["ir.config_parameter"].sudo().get_param(key)
        try:
            return int(value) if value else default
        except ValueError:
            return default

    @api.model
    def _max_rows(self):
        return self._get_int_param(PARAM_MAX_ROWS, DEFAULT_MAX_ROWS)

    @api.model
    def _background_rows(self):
        return self._get_int_param(PARAM_BACKGROUND_ROWS, DEFAULT_BACKGROUND_ROWS)

    # ------------------------------------------------------------
    # READING
    # ------------------------------------------------------------

    @api.model
    def _file_kind(self, content, file_name):
        """Return ``'xlsx'`` or ``'csv'`` or refuse the file with a clear message."""
        name = file_name or ""
        ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if not content:
            raise UserError(self.env._("The file “%(name)s” is empty.", name=name))
        is_zip = content[:4] == XLSX_MAGIC
        if ext == "xlsx":
            if not is_zip:
                raise UserError(
                    self.env._(
                        "The file “%(name)s” is not a valid Excel workbook (.xlsx): it is "
                        "damaged, truncated or of another type renamed to .xlsx.",
                        name=name,
                    )
                )
            return "xlsx"
        if ext == "csv":
            if is_zip or b"\x00" in content[:4096]:
                raise UserError(
                    self.env._(
                        "The file “%(name)s” is named .csv but is not a text file "
                        "(it looks like a workbook or a binary file). Save it as .xlsx "
                        "or as CSV text.",
                        name=name,
                    )
                )
            return "csv"
        raise UserError(
            self.env._(
                "The file “%(name)s” has an unsupported extension: only .xlsx (Excel) "
                "and .csv files can be imported.",
                name=name,
            )
        )

    @api.model
    def _guess_encoding(self, content):
        """BOM first, then strict UTF-8, then GB18030 (a superset of GBK and
        GB2312). chardet, which base_import relies on, often takes short GBK
        files for another code page and returns mojibake instead of an error."""
        if content.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
            if content.startswith(bom):
                return encoding
        for encoding in ("utf-8", "gb18030"):
            try:
                content.decode(encoding)
            except UnicodeDecodeError:
                continue
            return encoding
        raise UserError(
            self.env._(
                "The CSV file could not be decoded: save it as UTF-8 (with or without BOM) "
                "or GBK/GB18030."
            )
        )

    @api.model
    def _read_csv(self, content, file_name):
        encoding = self._guess_encoding(content)
        reader = self.env["base_import.import"].new(
            {"file": content, "file_name": file_name, "file_type": "text/csv"}
        )
        options = {"encoding": encoding, "quoting": '"', "separator": ""}
        try:
            _length, rows = reader._read_csv(options)
        except Exception as exc:  # noqa: BLE001 - csv.Error, decoding errors
            raise UserError(
                self.env._("The CSV file “%(name)s” could not be read: %(error)s",
                           name=file_name, error=exc)
            ) from exc
        rows = list(rows or ())
        return rows, encoding

    @api.model
    def _xlsx_cell(self, cell):
        """Text of one cell: formulas keep their text (never evaluated), numbers
        lose a spurious ``.0``, dates stay date/datetime objects."""
        value = cell.value
        if value is None:
            return ""
        if isinstance(value, bool):
            return "1" if value else "0"
        if isinstance(value, float):
            return str(int(value)) if value.is_integer() else repr(value)
        if isinstance(value, int):
            return str(value)
        if isinstance(value, datetime.datetime):
            if value.time() == datetime.time(0):
                return value.date()
            return value
        if isinstance(value, (datetime.date, datetime.time)):
            return value
        return str(value)

    @api.model
    def _read_xlsx(self, content, file_name):
        if load_workbook is None:  # pragma: no cover
            raise UserError(self.env._("Reading .xlsx files requires the Python library openpyxl."))
        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
            sheet = book.worksheets[0]
            # some writers store a wrong <dimension>: read every row there is
            sheet.reset_dimensions()
            rows = []
            for row in sheet.iter_rows():
                values = [self._xlsx_cell(cell) for cell in row]
                if any(v if not isinstance(v, str) else v.strip() for v in values):
                    rows.append(values)
            book.close()
        except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, EOFError) as exc:
            raise UserError(
                self.env._(
                    "The file “%(name)s” could not be read as an Excel workbook: it is "
                    "damaged or truncated (%(error)s).",
                    name=file_name,
                    error=exc,
                )
            ) from exc
        return rows

    @api.model
    def _count_rows(self, content, file_name):
        """Cheap upper bound of the number of data rows, checked against the
        row limit before anything is parsed."""
        kind = self._file_kind(content, file_name)
        if kind == "xlsx":
            try:
                book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
                sheet = book.worksheets[0]
                count = sheet.max_row
                if count is None:
                    count = sum(1 for _row in sheet.iter_rows())
                book.close()
            except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, EOFError) as exc:
                raise UserError(
                    self.env._(
                        "The file “%(name)s” could not be read as an Excel workbook: it is "
                        "damaged or truncated (%(error)s).",
                        name=file_name,
                        error=exc,
                    )
                ) from exc
        else:
            count = content.count(b"\n") + (0 if content.endswith(b"\n") else 1)
        data_rows = max(count - 1, 0)
        self._check_max_rows(data_rows, file_name)
        return data_rows

    @api.model
    def _check_max_rows(self, count, file_name):
        max_rows = self._max_rows()
        if count > max_rows:
            raise UserError(
                self.env._(
                    "The file “%(name)s” has %(count)s data rows; at most %(max)s rows can be "
                    "imported at once. Split the file.",
                    name=file_name,
                    count=count,
                    max=max_rows,
                )
            )

    @api.model
    def _read_file(self, content, file_name):
        """Return ``(headers, data_rows)`` of the first sheet / the CSV text, or
        refuse empty, header-only and over-limit files up front."""
        kind = self._file_kind(content, file_name)
        if kind == "xlsx":
            rows = self._read_xlsx(content, file_name)
        else:
            rows, _encoding = self._read_csv(content, file_name)
        if not rows:
            raise UserError(self.env._("The file “%(name)s” contains no data.", name=file_name))
        headers = [str(h).strip() if h is not None else "" for h in rows[0]]
        data = rows[1:]
        if not data:
            raise UserError(
                self.env._(
                    "The file “%(name)s” only contains the header row: there is nothing to "
                    "import.",
                    name=file_name,
                )
            )
        self._check_max_rows(len(data), file_name)
        return headers, data

    # ------------------------------------------------------------
    # HEADERS
    # ------------------------------------------------------------

    @api.model
    def _header_aliases(self, kind):
        """Map every accepted spelling of a header to its column."""
        profile = PROFILES[kind]
        model = self.env[profile["model"]]
        aliases = {}
        for column in profile["columns"]:
            names = {column.header(), column.zh, column.en, column.fname}
            if column.fname in model._fields:
                names.add(model._fields[column.fname]._description_string(self.env))
            for name in names:
                aliases.setdefault(_norm(HEADER_NOISE_RE.sub("", name)), column)
        by_fname = {column.fname: column for column in profile["columns"]}
        for mapping in self.env["base_import.mapping"].sudo().search_fetch(
            [("res_model", "=", profile["model"])], ["column_name", "field_name"]
        ):
            column = by_fname.get((mapping.field_name or "").split("/")[0])
            if column and mapping.column_name:
                aliases.setdefault(_norm(HEADER_NOISE_RE.sub("", mapping.column_name)), column)
        return aliases

    @api.model
    def _map_headers(self, kind, headers, data):
        """Return the column of each header (``None`` for an empty, unused one).

        Refuses unknown, repeated and missing required columns before any row is
        looked at."""
        aliases = self._header_aliases(kind)
        columns, unknown, seen, repeated = [], [], set(), []
        for index, header in enumerate(headers):
            key = _norm(HEADER_NOISE_RE.sub("", header))
            column = aliases.get(key)
            if column is None and " / " in header:
                parts = [aliases.get(_norm(HEADER_NOISE_RE.sub("", p))) for p in header.split("/")]
                column = next((p for p in parts if p), None)
            if column is None:
                if not key and not any(
                    index < len(row) and str(row[index]).strip() for row in data
                ):
                    columns.append(None)
                    continue
                unknown.append(header or self.env._("(column %(n)s without header)", n=index + 1))
                columns.append(None)
                continue
            if column.fname in seen:
                repeated.append(header)
            seen.add(column.fname)
            columns.append(column)
        profile_columns = PROFILES[kind]["columns"]
        if unknown:
            raise UserError(
                self.env._(
                    "Unknown columns: %(unknown)s. Remove them or rename them as in the "
                    "template. Accepted columns: %(accepted)s.",
                    unknown=", ".join(unknown),
                    accepted=", ".join(c.header() for c in profile_columns),
                )
            )
        if repeated:
            raise UserError(
                self.env._("These columns appear twice: %(columns)s.", columns=", ".join(repeated))
            )
        missing = [c.header() for c in profile_columns if c.required and c.fname not in seen]
        if kind == "followup" and not {"customer_code", "customer_credit_code"} & seen:
            missing.append(
                self.env._("%(a)s or %(b)s", a=profile_columns[0].header(),
                           b=profile_columns[1].header())
            )
        if missing:
            raise UserError(
                self.env._("Required columns are missing: %(columns)s.", columns=", ".join(missing))
            )
        return columns

    # ------------------------------------------------------------
    # LOOK-UPS (one query per dictionary, every installed language)
    # ------------------------------------------------------------

    @api.model
    def _langs(self):
        return [code for code, _name in self.env["res.lang"].get_installed()]

    @api.model
    def _name_map(self, model_name, extra_fields=()):
        Model = self.env[model_name]
        result = {}
        for lang in self._langs():
            fnames = ["name", *extra_fields]
            for record in Model.with_context(lang=lang).search_fetch([], fnames):
                for fname in fnames:
                    if record[fname]:
                        result.setdefault(_norm(record[fname]), record.id)
        return result

    @api.model
    def _selection_map(self, model, fname, zh_values):
        fld = model._fields[fname]
        result = {}
        for value, label in fld._description_selection(self.env):
            result[_norm(value)] = value
            result[_norm(label)] = value
        for lang in self._langs():
            for value, label in fld._description_selection(self.env(context={"lang": lang})):
                result.setdefault(_norm(label), value)
        for value, labels in zh_values.items():
            for label in labels:
                result.setdefault(_norm(label), value)
        return result

    @api.model
    def _lookups(self, kind, columns):
        model = self.env[PROFILES[kind]["model"]]
        maps = {}
        for column in filter(None, columns):
            if column.ctype == "selection":
                maps[column.fname] = self._selection_map(model, column.fname, column.zh_values)
            elif column.ctype in ("dictionary", "tags"):
                extra = ("full_name",) if column.comodel == "res.partner.industry" else ()
                maps[column.fname] = self._name_map(column.comodel, extra)
            elif column.ctype == "user":
                users = self.env["res.users"].search_fetch(
                    [("share", "=", False)], ["login", "name"]
                )
                mapping = {}
                for user in users:
                    mapping.setdefault(_norm(user.login), user.id)
                    mapping.setdefault(_norm(user.name), user.id)
                maps["user_id"] = mapping
            elif column.ctype == "country":
                maps["country_id"] = self._name_map("res.country", ("code",))
            elif column.ctype == "province":
                mapping = {}
                states = self.env["res.country.state"].search_fetch(
                    [], ["name", "code", "country_id"]
                )
                for state in states:
                    short_name = PROVINCE_SUFFIX_RE.sub("", state.name)
                    for name in (state.name, state.code, short_name):
                        mapping.setdefault((state.country_id.id, _norm(name)), state.id)
                maps["state_id"] = mapping
        return maps

    # ------------------------------------------------------------
    # CELL CONVERSION
    # ------------------------------------------------------------

    @api.model
    def _parse_date(self, value):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = str(value).strip()
        if text.isdigit() and len(text) <= 5:
            # an Excel date serial that lost its date format
            return datetime.date(1899, 12, 30) + datetime.timedelta(days=int(text))
        text = re.sub(r"\s*[年月]\s*", "-", text).replace("日", "").replace("号", "")
        text = re.sub(r"[/.]", "-", text).strip("- ")
        for fmt in DATE_FORMATS:
            try:
                return datetime.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise ValueError(text)

    @api.model
    def _parse_datetime(self, value, tz):
        if isinstance(value, datetime.datetime):
            local = value
        elif isinstance(value, datetime.date):
            local = datetime.datetime.combine(value, datetime.time(0))
        else:
            text = str(value).strip()
            text = re.sub(r"\s*[年月]\s*", "-", text)
            text = re.sub(r"\s*[日号]\s*", " ", text)
            text = re.sub(r"\s*[时点]\s*", ":", text).replace("分", "").replace("：", ":")
            text = re.sub(r"[/.]", "-", text).strip("-: ")
            text = re.sub(r"\s+", " ", text)
            local = None
            for fmt in DATETIME_FORMATS:
                try:
                    local = datetime.datetime.strptime(text, fmt)
                    break
                except ValueError:
                    continue
            if local is None:
                local = datetime.datetime.combine(self._parse_date(text), datetime.time(0))
        return tz.localize(local).astimezone(pytz.utc).replace(tzinfo=None)

    @api.model
    def _convert_cell(self, column, raw, result, maps, ctx):
        """Set ``result.vals[column.fname]`` from ``raw`` or append an error."""
        env = self.env
        text = raw.strip() if isinstance(raw, str) else raw
        if text in ("", None):
            if column.required:
                result.errors.append(env._("%(column)s is required.", column=column.header()))
            return
        label = column.header()
        vals = result.vals
        ctype = column.ctype
        if ctype in ("char", "text", "key", "customer_code"):
            vals[column.fname] = str(text)
        elif ctype in ("upper", "customer_credit_code"):
            vals[column.fname] = str(text).replace(" ", "").upper()
        elif ctype == "html":
            vals[column.fname] = plaintext2html(str(text))
        elif ctype == "phone":
            vals[column.fname] = str(text)
        elif ctype == "email":
            email = email_normalize(str(text))
            if not email:
                result.errors.append(
                    env._("%(column)s: “%(value)s” is not a valid email address.",
                          column=label, value=text)
                )
            else:
                vals[column.fname] = email
        elif ctype == "selection":
            value = maps[column.fname].get(_norm(text))
            if value is None:
                result.errors.append(
                    env._("%(column)s: unknown value “%(value)s”.", column=label, value=text)
                )
            else:
                vals[column.fname] = value
        elif ctype in ("dictionary", "user", "country"):
            value = maps[column.fname].get(_norm(text))
            if not value:
                result.errors.append(
                    env._("%(column)s: “%(value)s” is not a known value (check the spelling or "
                          "the drop-down list of the template).", column=label, value=text)
                )
            else:
                vals[column.fname] = value
        elif ctype == "province":
            result.pending_province = str(text)
        elif ctype == "tags":
            ids, unknown = [], []
            for name in LIST_SPLIT_RE.split(str(text)):
                if not name.strip():
                    continue
                tag_id = maps[column.fname].get(_norm(name))
                (ids.append(tag_id) if tag_id else unknown.append(name.strip()))
            if unknown:
                result.errors.append(
                    env._("%(column)s: unknown tags %(tags)s.", column=label,
                          tags=", ".join(unknown))
                )
            else:
                vals[column.fname] = [(6, 0, ids)]
        elif ctype == "date":
            try:
                vals[column.fname] = fields.Date.to_string(self._parse_date(text))
            except ValueError:
                result.errors.append(
                    env._("%(column)s: “%(value)s” is not a date (use 2024-05-01, 2024/5/1 or "
                          "2024年5月1日).", column=label, value=text)
                )
        elif ctype == "datetime":
            try:
                vals[column.fname] = fields.Datetime.to_string(
                    self._parse_datetime(text, ctx["tz"])
                )
            except ValueError:
                result.errors.append(
                    env._("%(column)s: “%(value)s” is not a date and time (use 2024-05-01 14:30 "
                          "or 2024年5月1日 14:30).", column=label, value=text)
                )
        elif ctype in ("integer", "float"):
            cleaned = re.sub(r"[,，\s¥￥元]", "", str(text))
            try:
                number = float(cleaned)
                if ctype == "integer":
                    if not number.is_integer():
                        raise ValueError(cleaned)
                    number = int(number)
                vals[column.fname] = number
            except ValueError:
                result.errors.append(
                    env._("%(column)s: “%(value)s” is not a number.", column=label, value=text)
                )

    # ------------------------------------------------------------
    # ROW PREPARATION
    # ------------------------------------------------------------

    @api.model
    def _prepare_row(self, kind, columns, result, maps, ctx):
        result.pending_province = None
        values = result.values
        for index, column in enumerate(columns):
            if column is not None:
                self._convert_cell(
                    column, values[index] if index < len(values) else "", result, maps, ctx
                )
        vals = result.vals
        if result.pending_province:
            country_id = vals.get("country_id") or ctx["default_country_id"]
            state_id = maps["state_id"].get((country_id, _norm(result.pending_province)))
            if state_id:
                vals["state_id"] = state_id
                vals.setdefault("country_id", country_id)
            else:
                result.errors.append(
                    self.env._("%(column)s: unknown province “%(value)s”.",
                               column=self._column(kind, "state_id").header(),
                               value=result.pending_province)
                )
        # owner rule: a salesperson imports only into their own name
        owner_id = vals.get("user_id")
        if owner_id and owner_id != self.env.uid and not ctx["is_manager"]:
            result.errors.append(
                self.env._("%(column)s: you can only import records in your own name; only a "
                           "manager can assign them to someone else.",
                           column=self._column(kind, "user_id").header())
            )
        if kind == "customer":
            Customer = self.env["crm.customer"]
            if vals.get("state") in ("won", "lost") and hasattr(Customer, "action_set_won"):
                # with the lifecycle transitions, won/lost need their evidence
                result.errors.append(self._status_message(kind))
            Customer._normalize_vals(vals)
            kind_value = vals.get("customer_kind", "company")
            if vals.get("credit_code"):
                result.dup_key = ("credit_code", vals["credit_code"])
            else:
                result.dup_key = ("name", _norm(vals.get("name")), kind_value,
                                  vals.get("phone") or "")
        else:
            result.dup_key = (
                "followup",
                vals.get("customer_code") or vals.get("customer_credit_code"),
                vals.get("followup_date"),
                _norm(vals.get("content")),
            )

    @api.model
    def _status_message(self, kind):
        return self.env._(
            "%(column)s: a customer becomes Won or Lost, or changes status, through the "
            "status actions (contract number, lost reason); an import creates Potential or "
            "Intent customers and can move Potential ones to Intent.",
            column=self._column(kind, "state").header(),
        )

    @api.model
    def _column(self, kind, fname):
        return next(c for c in PROFILES[kind]["columns"] if c.fname == fname)

    # ------------------------------------------------------------
    # DUPLICATES AND REFERENCES (one query per chunk)
    # ------------------------------------------------------------

    @api.model
    def _resolve_customers(self, chunk, ctx):
        """Follow-ups: find the customer of each row by code or credit code,
        within the records the user may see (record rules apply)."""
        Customer = self.env["crm.customer"]
        codes = {r.vals["customer_code"] for r in chunk if r.vals.get("customer_code")}
        credits = {
            r.vals["customer_credit_code"] for r in chunk if r.vals.get("customer_credit_code")
        }
        domain = []
        if codes:
            domain = [("code", "in", list(codes))]
        if credits:
            credit_domain = [("credit_code", "in", list(credits))]
            domain = ["|", *domain, *credit_domain] if domain else credit_domain
        by_code, by_credit = {}, {}
        if domain:
            for customer in Customer.search_fetch(domain, ["code", "credit_code"]):
                by_code[customer.code] = customer.id
                if customer.credit_code:
                    by_credit[customer.credit_code] = customer.id
        hidden = set()
        missing_codes = codes - by_code.keys()
        missing_credits = credits - by_credit.keys()
        if missing_codes or missing_credits:
            # exists but belongs to someone else? (answer yes/no only)
            for customer in Customer.sudo().search_fetch(
                ["|", ("code", "in", list(missing_codes)),
                 ("credit_code", "in", list(missing_credits))], ["code", "credit_code"]
            ):
                hidden.update({customer.code, customer.credit_code})
        for result in chunk:
            if result.errors:
                continue
            vals = result.vals
            ref = vals.pop("customer_code", None)
            credit = vals.pop("customer_credit_code", None)
            customer_id = (ref and by_code.get(ref)) or (credit and by_credit.get(credit))
            if customer_id:
                vals["customer_id"] = customer_id
            elif (ref in hidden) or (credit in hidden):
                result.errors.append(
                    self.env._("Customer “%(ref)s” belongs to another salesperson: you cannot add "
                               "follow-ups to it.", ref=ref or credit)
                )
            else:
                result.errors.append(
                    self.env._("No customer with code or credit code “%(ref)s”.", ref=ref or credit)
                )

    @api.model
    def _find_existing(self, kind, chunk, ctx):
        """Return ``{dup_key: record}`` of the rows already in the database
        (searched as superuser so that another owner's record is detected too;
        only its existence and the caller's right to change it are used)."""
        Model = self.env[PROFILES[kind]["model"]].sudo().with_context(active_test=False)
        company_id = self.env.company.id
        keys = [r.dup_key for r in chunk if r.dup_key and not r.errors]
        found = {}
        if kind == "customer":
            codes = [r.vals["code"] for r in chunk if r.vals.get("code") and not r.errors]
            credits = [k[1] for k in keys if k[0] == "credit_code"]
            names = [r.vals["name"] for r in chunk
                     if r.dup_key and r.dup_key[0] == "name" and not r.errors]
            domain_parts = []
            if codes:
                domain_parts.append([("code", "in", codes)])
            if credits:
                domain_parts.append([("credit_code", "in", credits)])
            if names:
                domain_parts.append([("name", "in", names), ("credit_code", "=", False)])
            if not domain_parts:
                return found
            domain = [("company_id", "=", company_id)]
            domain += ["|"] * (len(domain_parts) - 1)
            for part in domain_parts:
                domain += ["&", *part] if len(part) == 2 else part
            records = Model.search_fetch(
                domain, ["code", "credit_code", "name", "customer_kind", "phone"]
            )
            for record in records:
                found[("code", record.code)] = record
                if record.credit_code:
                    found[("credit_code", record.credit_code)] = record
                else:
                    found[("name", _norm(record.name), record.customer_kind,
                           record.phone or "")] = record
        else:
            customer_ids = list({r.vals["customer_id"] for r in chunk
                                 if r.vals.get("customer_id") and not r.errors})
            if not customer_ids:
                return found
            records = Model.search_fetch(
                [("customer_id", "in", customer_ids)],
                ["customer_id", "followup_date", "content"],
            )
            for record in records:
                key = ("followup", record.customer_id.id,
                       fields.Datetime.to_string(record.followup_date), _norm(record.content))
                found[key] = record
        return found

    @api.model
    def _apply_duplicates(self, kind, chunk, ctx):
        seen = ctx["seen_keys"]
        if kind == "followup":
            for result in chunk:
                if not result.errors:
                    result.dup_key = ("followup", result.vals["customer_id"],
                                      result.vals["followup_date"], result.dup_key[3])
        for result in chunk:
            if result.errors or not result.dup_key:
                continue
            first = seen.get(result.dup_key)
            if first:
                result.errors.append(
                    self.env._("Duplicate of row %(row)s of this file.", row=first)
                )
            else:
                seen[result.dup_key] = result.row
        existing = self._find_existing(kind, chunk, ctx)
        policy = ctx["policy"]
        for result in chunk:
            if result.errors:
                continue
            record = None
            if kind == "customer" and result.vals.get("code"):
                record = existing.get(("code", result.vals["code"]))
                if not record:
                    result.errors.append(
                        self.env._("No customer with code “%(code)s” to update.",
                                   code=result.vals["code"])
                    )
                    continue
            record = record or existing.get(result.dup_key)
            if not record:
                continue
            if policy == "skip":
                result.action = "skip"
                result.res_id = record.id
            elif not record.with_env(self.env).has_access("write"):
                result.errors.append(
                    self.env._("Already exists in the database (code %(code)s) and you are not "
                               "allowed to modify it.", code=record.code)
                )
            else:
                result.action = "update"
                result.res_id = record.id

    # ------------------------------------------------------------
    # MODEL CONSTRAINTS, IN BATCH, WITHOUT WRITING
    # ------------------------------------------------------------

    @api.model
    def _check_constraints(self, kind, results):
        """Run the model's ``@api.constrains`` on new (unsaved) records of all
        ``results`` at once; on an error split the batch to find the rows."""
        if not results:
            return
        Model = self.env[PROFILES[kind]["model"]]
        defaults = self._chunk_defaults(kind, Model)
        new_records = [Model.new({**defaults, **self._write_vals(r.vals)}) for r in results]
        records = Model.concat(*new_records)
        fnames = set(Model._fields)
        try:
            records._validate_fields(fnames)
        except (ValidationError, UserError) as exc:
            if len(results) == 1:
                results[0].errors.append(str(exc.args[0] if exc.args else exc))
                return
            half = len(results) // 2
            self._check_constraints(kind, results[:half])
            self._check_constraints(kind, results[half:])

    @api.model
    def _check_update_constraints(self, kind, results):
        """Same check for the rows that update an existing record: the new
        values on top of the record's current ones."""
        Model = self.env[PROFILES[kind]["model"]]
        for result in results:
            vals = self._write_vals(result.vals)
            record = Model.new(vals, origin=Model.browse(result.res_id))
            try:
                record._validate_fields(set(vals))
            except (ValidationError, UserError) as exc:
                result.errors.append(str(exc.args[0] if exc.args else exc))

    @api.model
    def _chunk_defaults(self, kind, Model):
        """Defaults of the fields an import may fill, computed once per chunk
        instead of once per record (``create`` calls ``default_get`` for every
        vals dict missing a field; some defaults cost a query each). Other
        fields are left to ``create`` so that models guarding them (fields
        only their own actions may set) see no value for them."""
        fnames = {c.fname for c in PROFILES[kind]["columns"] if c.writable}
        fnames |= {"code", "company_id"}
        return Model.default_get([f for f in fnames if f in Model._fields])

    @api.model
    def _write_vals(self, vals):
        return {k: v for k, v in vals.items() if k != "code"}

    # ------------------------------------------------------------
    # PLAN: read + validate every row, write nothing
    # ------------------------------------------------------------

    @api.model
    def _plan(self, kind, content, file_name, policy="skip", progress=None):
        """Validate the whole file. Returns ``(headers, results)``: one
        :class:`RowResult` per data row with its values, action and errors."""
        headers, data = self._read_file(content, file_name)
        columns = self._map_headers(kind, headers, data)
        maps = self._lookups(kind, columns)
        ctx = {
            "tz": pytz.timezone(self.env.user.tz or self.env.context.get("tz") or "UTC"),
            "is_manager": self.env.user.has_group(
                "crm_customer_template.group_crm_customer_manager"
            ),
            "default_country_id": self.env.ref("base.cn").id,
            "seen_keys": {},
            "policy": policy,
        }
        results = []
        for start in range(0, len(data), CHUNK_SIZE):
            chunk = [
                RowResult(row=start + offset + 2, values=values)
                for offset, values in enumerate(data[start:start + CHUNK_SIZE])
            ]
            for result in chunk:
                self._prepare_row(kind, columns, result, maps, ctx)
            if kind == "followup":
                self._resolve_customers(chunk, ctx)
            self._apply_duplicates(kind, chunk, ctx)
            self._check_constraints(
                kind, [r for r in chunk if not r.errors and r.action == "create"]
            )
            self._check_update_constraints(
                kind, [r for r in chunk if not r.errors and r.action == "update"]
            )
            results.extend(chunk)
            self.env.invalidate_all()
            if progress:
                progress(len(results), len(data))
        return headers, results

    # ------------------------------------------------------------
    # APPLY: create / update in chunks
    # ------------------------------------------------------------

    @api.model
    def _import_context(self):
        # chatter: one batch-log entry replaces the per-record creation message,
        # followers are added in batch below (_subscribe_owners)
        return {
            "tracking_disable": True,
            "mail_create_nolog": True,
            "mail_create_nosubscribe": True,
            "mail_notrack": True,
        }

    @api.model
    def _subscribe_owners(self, records):
        if "message_follower_ids" not in records._fields or not records:
            return
        by_partner = defaultdict(list)
        for record in records:
            by_partner[record.user_id.partner_id.id].append(record.id)
        for partner_id, ids in by_partner.items():
            if partner_id:
                self.env["mail.followers"]._insert_followers(
                    records._name, ids, [partner_id], check_existing=False
                )

    @api.model
    def _create_rows(self, kind, results, stop_on_error):
        """Create the records of ``results`` in one call; on failure split to
        find the faulty rows (each in its own savepoint)."""
        Model = self.env[PROFILES[kind]["model"]].with_context(**self._import_context())
        defaults = self._chunk_defaults(kind, Model)
        vals_list, to_intent = [], []
        transitions = kind == "customer" and hasattr(Model, "action_set_intent")
        for index, result in enumerate(results):
            vals = {**defaults, **self._write_vals(result.vals)}
            if transitions and vals.get("state") == "intent":
                # status changes go through the status actions (ledger)
                vals["state"] = "potential"
                to_intent.append(index)
            vals_list.append(vals)
        try:
            with self.env.cr.savepoint():
                records = Model.create(vals_list)
                if to_intent:
                    Model.browse([records[i].id for i in to_intent]).action_set_intent()
                self.env.flush_all()
        except (ValidationError, UserError, AccessError, psycopg2.Error) as exc:
            self.env.invalidate_all()
            if len(results) == 1 or stop_on_error and len(results) <= 1:
                message = exc.args[0] if exc.args else str(exc)
                if isinstance(exc, psycopg2.Error):
                    message = (exc.pgerror or str(exc)).splitlines()[0]
                results[0].errors.append(str(message))
                return Model.browse()
            half = len(results) // 2
            first = self._create_rows(kind, results[:half], stop_on_error)
            if stop_on_error and any(r.errors for r in results[:half]):
                return first
            return first | self._create_rows(kind, results[half:], stop_on_error)
        for result, record in zip(results, records, strict=True):
            result.res_id = record.id
        self._subscribe_owners(records)
        return records

    @api.model
    def _update_rows(self, kind, results):
        """Write the non-empty values of each row on its existing record; return
        the previous values (for the batch rollback)."""
        Model = self.env[PROFILES[kind]["model"]]
        transitions = kind == "customer" and hasattr(Model, "action_set_intent")
        undo = {}
        for result in results:
            record = Model.browse(result.res_id)
            file_vals = self._write_vals(result.vals)  # only the cells the file fills
            set_intent = False
            if transitions and "state" in file_vals:
                target = file_vals.pop("state")
                if target == "intent" and record.state == "potential":
                    set_intent = True
                elif target != record.state:
                    result.errors.append(self._status_message(kind))
                    continue
            vals = self._accessible_vals(Model, file_vals)
            # previous values, kept for a manager's rollback (read whatever the
            # field's groups, never returned to the caller)
            undo[str(record.id)] = self._snapshot(record.sudo(), file_vals.keys())
            try:
                with self.env.cr.savepoint():
                    record.write(vals)
                    if set_intent:
                        record.action_set_intent()
            except (ValidationError, UserError, AccessError, psycopg2.Error) as exc:
                self.env.invalidate_all()
                undo.pop(str(record.id))
                result.errors.append(str(exc.args[0] if exc.args else exc))
        return undo

    @api.model
    def _accessible_vals(self, Model, vals):
        """``vals`` for ``write``: a field the user may not write because of its
        ``groups`` (e.g. a clear contact value) goes through its ``<name>_masked``
        counterpart when the model has one (the sensitive-field mixin encrypts
        what is written there); ``create`` takes the clear field as is."""
        result = {}
        for fname, value in vals.items():
            field = Model._fields[fname]
            masked = f"{fname}_masked"
            if not field.is_accessible(self.env) and masked in Model._fields:
                result[masked] = value
            else:
                result[fname] = value
        return result

    @api.model
    def _snapshot(self, record, fnames):
        snapshot = {}
        sensitive = getattr(record, "_sensitive_fields", ())
        for fname in fnames:
            if fname in sensitive:
                # contact data: keep the stored token and search hash, never the
                # clear value (the batch is readable by its importer, who may see
                # the value masked only, and is stored in the database in clear)
                snapshot[f"{fname}_encrypted"] = record[f"{fname}_encrypted"]
                snapshot[f"{fname}_hash"] = record[f"{fname}_hash"]
                continue
            fld = record._fields[fname]
            value = record[fname]
            if fld.type == "many2one":
                snapshot[fname] = value.id
            elif fld.type == "many2many":
                snapshot[fname] = [(6, 0, value.ids)]
            elif fld.type == "date":
                snapshot[fname] = fields.Date.to_string(value) if value else False
            elif fld.type == "datetime":
                snapshot[fname] = fields.Datetime.to_string(value) if value else False
            else:
                snapshot[fname] = value
        return snapshot

    @api.model
    def _apply(self, kind, results, valid_only, progress=None):
        """Write the valid rows of ``results``. Returns ``(created, undo)``.
        The caller holds the savepoint that makes all-or-nothing atomic."""
        Model = self.env[PROFILES[kind]["model"]]
        created = Model.browse()
        undo = {}
        to_create = [r for r in results if not r.errors and r.action == "create"]
        to_update = [r for r in results if not r.errors and r.action == "update"]
        done = 0
        for start in range(0, len(to_create), CHUNK_SIZE):
            chunk = to_create[start:start + CHUNK_SIZE]
            created |= self._create_rows(kind, chunk, stop_on_error=not valid_only)
            if not valid_only and any(r.errors for r in chunk):
                return created, undo
            done += len(chunk)
            self.env.invalidate_all()
            if progress:
                progress(done, len(to_create) + len(to_update))
        undo.update(self._update_rows(kind, to_update))
        return created, undo

    # ------------------------------------------------------------
    # RESULT WORKBOOK
    # ------------------------------------------------------------

    @api.model
    def _result_status(self, result, written):
        env = self.env
        if result.errors:
            return env._("Error")
        if result.action == "skip":
            return env._("Skipped: already in the database")
        if result.action == "update":
            return env._("Updated") if written else env._("Valid: will update the existing record")
        return env._("Created") if written else env._("Valid: will be created")

    @api.model
    def _result_workbook(self, headers, results, written, summary):
        """The user's rows, unchanged (as text, formulas never evaluated), plus
        a status and an error column; a second sheet holds the summary."""
        import xlsxwriter  # noqa: PLC0415

        output = io.BytesIO()
        book = xlsxwriter.Workbook(output, {"constant_memory": True,
                                            "strings_to_formulas": False,
                                            "strings_to_urls": False})
        sheet = book.add_worksheet(self.env._("Result"))
        bold = book.add_format({"bold": True, "bg_color": "#DDEBF7"})
        error_fmt = book.add_format({"font_color": "#C00000", "text_wrap": True})
        width = len(headers)
        for col, header in enumerate(headers):
            sheet.write_string(0, col, header, bold)
        sheet.write_string(0, width, self.env._("Status / 状态"), bold)
        sheet.write_string(0, width + 1, self.env._("Errors / 错误信息"), bold)
        sheet.set_column(width + 1, width + 1, 60)
        for rowx, result in enumerate(results, 1):
            for col, value in enumerate(result.values[:width]):
                if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
                    value = value.isoformat(sep=" ") if isinstance(
                        value, datetime.datetime) else value.isoformat()
                sheet.write_string(rowx, col, str(value))
            sheet.write_string(rowx, width, self._result_status(result, written))
            if result.errors:
                sheet.write_string(rowx, width + 1, "\n".join(result.errors), error_fmt)
        summary_sheet = book.add_worksheet(self.env._("Summary"))
        for rowx, (label, value) in enumerate(summary):
            summary_sheet.write_string(rowx, 0, label)
            summary_sheet.write(rowx, 1, value)
        summary_sheet.set_column(0, 0, 40)
        book.close()
        return output.getvalue()

    @api.model
    def _counts(self, results):
        counts = {"total": len(results), "error": 0, "create": 0, "update": 0, "skip": 0}
        for result in results:
            counts["error" if result.errors else result.action] += 1
        return counts
