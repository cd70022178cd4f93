#!/usr/bin/env python3
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Benchmark of the reports add-on: KPI service, XLSX export, PDF.

Prints, in one run on the database given:

* KPI service time (``crm.customer.kpi.get_kpis`` and the dashboard's one RPC
  ``get_dashboard_data``) for the default filter (this year), as a manager and
  as a salesperson (best and median of ``--repeat`` runs, warm caches);
* XLSX export of ``--export-rows`` customers: our streaming export
  (``crm.customer.list.xlsx``: batched ``search_fetch``, xlsxwriter
  ``constant_memory``) against Odoo's own path for the same fields
  (``export_data`` + the in-memory xlsxwriter writer of
  ``web/controllers/export.py``), rows/s and peak RSS growth of each, and the
  ratio;
* PDF of a ``--pdf-customers`` customer-profile batch: seconds and seconds per
  page (wkhtmltopdf fetches the report CSS over HTTP: the command starts
  Odoo's WSGI application on a free local port for the run).

Usage (the database holds generated data, see bench/generate.py)::

    python bench/bench_reports.py -c odoo.conf -d crm_bench --export-rows 100000

The customers must have status-ledger rows for won/lost figures: rows are
added for generated customers that have none (``--no-ledger`` to skip), in the
run's transaction, which is rolled back at the end unless ``--commit``.

From Python (the CI smoke test)::

    run(env, export_rows=200, pdf_customers=2, repeat=1)
"""

import argparse
import gc
import io
import logging
import os
import statistics
import sys
import threading
import time
from datetime import datetime, timezone

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.tools import SQL

_logger = logging.getLogger("crm_customer_template.bench.reports")

EXPORT_FIELDS = [
    "code", "name", "customer_kind", "state", "grade", "industry_id", "source_id",
    "contact_name", "phone_masked", "email_masked", "user_id", "team_id", "company_id",
    "create_date", "last_followup_date",
]


# ---------------------------------------------------------------------------
# measuring
# ---------------------------------------------------------------------------

def rss_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return 0.0


class PeakRss:
    """Sample the RSS every 20 ms in a thread; ``growth`` = peak - start."""

    def __enter__(self):
        gc.collect()
        self.start = rss_mb()
        self.peak = self.start
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        self.t0 = time.perf_counter()
        return self

    def _sample(self):
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, rss_mb())

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.t0
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mb())
        self.growth = self.peak - self.start
        return False


def timed(func, repeat):
    times = []
    result = None
    for _i in range(repeat):
        t0 = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - t0)
    return min(times), statistics.median(times), result


# ---------------------------------------------------------------------------
# data
# ---------------------------------------------------------------------------

def ensure_ledger(env):
    """One ledger row per generated customer whose status is not potential
    and who has no status row yet (the generator writes statuses directly).
    Dates: intent 10 days after creation, won/lost 30 days after (capped at
    now). Returns the number of rows added."""
    env.flush_all()
    cr = env.cr
    cr.execute(SQL(
        """INSERT INTO crm_customer_ledger
               (customer_id, company_id, kind, state_from, state_to, user_id, date,
                customer_create_date, create_uid, create_date, write_uid, write_date)
           SELECT c.id, c.company_id, 'state',
                  CASE c.state WHEN 'intent' THEN 'potential' ELSE 'intent' END,
                  c.state, c.user_id,
                  LEAST(c.create_date + CASE c.state WHEN 'intent' THEN interval '10 days'
                                                     ELSE interval '30 days' END,
                        now() AT TIME ZONE 'UTC'),
                  c.create_date, %s, now() AT TIME ZONE 'UTC', %s, now() AT TIME ZONE 'UTC'
             FROM crm_customer c
            WHERE c.state <> 'potential'
              AND NOT EXISTS (SELECT 1 FROM crm_customer_ledger l
                               WHERE l.customer_id = c.id AND l.kind = 'state')""",
        SUPERUSER_ID, SUPERUSER_ID,
    ))
    added = cr.rowcount
    if added:
        cr.execute("ANALYZE crm_customer_ledger")
    env.invalidate_all()
    return added


def adapt_generator(generate_module, env):
    """bench/generate.py writes the phone in clear into ``crm_customer.phone``
    (its one place for contact data is ``SensitiveCustomerColumns``). Once
    the phone is stored encrypted (access issue), point that one place at the
    encrypted and hash columns, with the add-on's own cipher."""
    env.cr.execute(SQL(
        "SELECT 1 FROM information_schema.columns"
        " WHERE table_name = 'crm_customer' AND column_name = 'phone_encrypted'"
    ))
    if not env.cr.fetchone():
        return generate_module
    columns = getattr(getattr(generate_module, "SensitiveCustomerColumns", None), "columns", ())
    if "phone_encrypted" in columns:
        return generate_module  # the generator encrypts by itself
    from odoo.addons.crm_customer_template.models.sensitive_field_mixin import get_cipher

    cipher = get_cipher()
    env["crm.customer"]._sensitive_check_fingerprint(cipher)
    esc = generate_module.esc

    def values(phone, email):
        return (esc(cipher.encrypt(phone)), esc(cipher.hash(phone)), esc(email))

    if hasattr(generate_module, "SensitiveCustomerColumns"):
        class EncryptedColumns(generate_module.SensitiveCustomerColumns):
            columns = ("phone_encrypted", "phone_hash", "email")

            def values(self, phone, email):
                return values(phone, email)

        generate_module.SensitiveCustomerColumns = EncryptedColumns
    else:  # earlier generator: module-level function and column tuple
        generate_module.sensitive_customer_values = values
        generate_module.SENSITIVE_CUSTOMER_COLUMNS = ("phone_encrypted", "phone_hash", "email")
    return generate_module


def bench_users(env):
    """A manager working in the time zone of the KPI aggregates (created in
    the benchmark's transaction when missing), and the salesperson owning
    the most customers."""
    tz = env["crm.customer.kpi.rollup"]._built_tz()
    Users = env["res.users"].with_context(no_reset_password=True)
    manager = Users.search([("login", "=", "bench_manager")])
    if not manager:
        manager = Users.create({
            "name": "Bench Manager 经理", "login": "bench_manager", "tz": tz,
            "groups_id": [Command.link(env.ref(xmlid).id) for xmlid in (
                "crm_customer_template.group_crm_customer_manager", "base.group_allow_export",
            )],
        })
    env.cr.execute(SQL(
        "SELECT user_id FROM crm_customer GROUP BY user_id ORDER BY count(*) DESC LIMIT 1"
    ))
    row = env.cr.fetchone()
    salesperson = env["res.users"].browse(row[0]) if row else env.ref("base.user_admin")
    return manager, salesperson


# ---------------------------------------------------------------------------
# measures
# ---------------------------------------------------------------------------

def measure_kpi(env, user, repeat, filters=None):
    filters = filters or {}
    kpi = env["crm.customer.kpi"].with_user(user).with_context(tz=user.tz or "Asia/Shanghai")
    kpi.get_dashboard_data(filters)  # warm-up: registry caches, rules, translations
    best, median, data = timed(lambda: kpi.get_kpis(filters), repeat)
    d_best, d_median, _d = timed(lambda: kpi.get_dashboard_data(filters), repeat)
    count0 = env.cr.sql_log_count
    kpi.get_dashboard_data(filters)
    queries = env.cr.sql_log_count - count0
    customers = env["crm.customer"].with_user(user).search_count([])
    aggregated = kpi.env["crm.customer.kpi.rollup"]._usable(kpi._normalize_filter(filters)) is not None
    live = {}
    if aggregated:
        # the same call computed live: the baseline, and the same figures
        live_kpi = kpi.with_context(crm_kpi_live=True)
        l_best, l_median, _live_data = timed(lambda: live_kpi.get_kpis(filters),
                                             max(1, min(repeat, 3)))
        # compared at one frozen "now": the forgotten customers' thresholds
        # move between two calls seconds apart
        from freezegun import freeze_time  # noqa: PLC0415 (in Odoo's requirements)

        with freeze_time(datetime.now(timezone.utc).replace(tzinfo=None)):
            same = figures(kpi.get_kpis(filters)) == figures(live_kpi.get_kpis(filters))
        live = {
            "live_ms_median": l_median * 1000,
            "speedup_vs_live": l_median / median,
            "same_as_live": same,
        }
    return {
        **live,
        "filter": ", ".join(f"{key}={value}" for key, value in filters.items()),
        "user": user.login,
        "tz": user.tz or "Asia/Shanghai",
        "source": "daily aggregates" if aggregated else "live",
        "visible_customers": customers,
        "kpi_ms_best": best * 1000,
        "kpi_ms_median": median * 1000,
        "dashboard_ms_best": d_best * 1000,
        "dashboard_ms_median": d_median * 1000,
        "queries": queries,
        "new_customers": data["tiles"]["new_customers"]["value"],
        "won_customers": data["tiles"]["won_customers"]["value"],
        "avg_followup_cycle": data["tiles"]["avg_followup_cycle"]["value"],
    }


def figures(data):
    """The numbers of a get_kpis answer (not the domains, which hold the
    time of the call)."""
    return {
        "tiles": {key: (tile["value"], tile["previous"], tile["trend"])
                  for key, tile in data["tiles"].items()},
        "breakdowns": {key: [(seg["key"], seg["value"]) for seg in segments]
                       for key, segments in data["breakdowns"].items()},
        "funnel": [(stage["key"], stage["value"]) for stage in data["funnel"]],
        "forgotten": [(row["key"], row["value"]) for row in data["forgotten"]],
        "salespeople": [(row["user_id"], row["customers"], row["followups"], row["compliance"],
                         row["won"]) for row in data["salespeople"]],
    }


def export_domain(env, rows):
    env.cr.execute(SQL("SELECT id FROM crm_customer ORDER BY id LIMIT 1 OFFSET %s", max(rows - 1, 0)))
    row = env.cr.fetchone()
    return [("id", "<=", row[0])] if row else []


def export_fields(env, fields):
    """The fields that exist on this database (email_masked comes with the
    access add-on's email encryption)."""
    Customer = env["crm.customer"]
    return [f if f in Customer._fields else f.removesuffix("_masked") for f in fields]


def measure_our_export(env, domain, fields=None):
    exporter = env["crm.customer.list.xlsx"]
    exporter = exporter.with_context(crm_export_fields=export_fields(env, fields or EXPORT_FIELDS))
    out = io.BytesIO()
    env.invalidate_all()
    with PeakRss() as probe:
        count = exporter._export_file("crm.customer", domain, out)
    return {"rows": count, "seconds": probe.seconds, "rows_per_s": count / probe.seconds,
            "rss_growth_mb": probe.growth, "bytes": len(out.getvalue())}


def measure_odoo_export(env, domain, fields=None):
    """Odoo's standard path: search + export_data of the same fields, then the
    writer of web/controllers/export.py (xlsxwriter in_memory, worksheet.write
    per cell). The writer class itself needs an HTTP request (currency
    decimals), so its cell loop is reproduced here."""
    import xlsxwriter

    env.invalidate_all()
    Customer = env["crm.customer"]
    fields = export_fields(env, fields or EXPORT_FIELDS)  # a many2one exports its display name
    with PeakRss() as probe:
        records = Customer.search(domain, order=False)
        rows = records.export_data(fields).get("datas", [])
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        worksheet = workbook.add_worksheet()
        base = workbook.add_format({"text_wrap": True})
        date_style = workbook.add_format({"text_wrap": True, "num_format": "yyyy-mm-dd hh:mm:ss"})
        for col, name in enumerate(fields):
            worksheet.write(0, col, name, base)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                style = base
                if isinstance(value, str):
                    value = value.replace("\r", " ")
                elif hasattr(value, "isoformat"):
                    style = date_style
                worksheet.write(r, c, value, style)
        workbook.close()
        size = len(output.getvalue())
        count = len(rows)
        del rows, records
    return {"rows": count, "seconds": probe.seconds, "rows_per_s": count / probe.seconds,
            "rss_growth_mb": probe.growth, "bytes": size}


def measure_pdf(env, user, count):
    customers = env["crm.customer"].with_user(user).search([], limit=count, order="id")
    Report = env["ir.actions.report"].with_user(user).with_context(force_report_rendering=True)
    t0 = time.perf_counter()
    content, _kind = Report._render_qweb_pdf(
        "crm_customer_template_reports.action_report_crm_customer_profile", customers.ids
    )
    seconds = time.perf_counter() - t0
    from odoo.tools.pdf import PdfFileReader

    pages = len(PdfFileReader(io.BytesIO(content)).pages)
    return {"customers": len(customers), "seconds": seconds, "pages": pages,
            "seconds_per_page": seconds / pages if pages else None}


def run(env, export_rows=100000, pdf_customers=20, repeat=5, ledger=True, log=None):
    """All measures in one run on ``env``'s database; returns a dict."""
    log = log or _logger.info
    result = {
        "customers": env["crm.customer"].sudo().search_count([]),
        "followups": env["crm.customer.followup"].sudo().search_count([]),
    }
    if ledger:
        result["ledger_rows_added"] = ensure_ledger(env)
        if result["ledger_rows_added"] and "crm.customer.kpi.rollup" in env:
            # what the aggregates' cron does every few minutes: without it,
            # the days of these rows would be computed live
            env["crm.customer.kpi.rollup"]._refresh()
    env.cr.execute("ANALYZE crm_customer, crm_customer_followup")
    manager, salesperson = bench_users(env)
    log("KPI service as manager %s", manager.login)
    result["kpi_manager"] = measure_kpi(env, manager, repeat)
    log("KPI service as salesperson %s", salesperson.login)
    result["kpi_salesperson"] = measure_kpi(env, salesperson, repeat)
    # the manager filtering the dashboard on one industry (the largest)
    industry = env["crm.customer"]._read_group([("industry_id", "!=", False)], ["industry_id"],
                                               ["__count"], order="__count desc", limit=1)
    if industry:
        log("KPI service as manager %s, one industry", manager.login)
        result["kpi_manager_industry"] = measure_kpi(
            env, manager, repeat, {"industry_id": industry[0][0].id})
    admin = env.ref("base.user_admin")
    if admin.tz != manager.tz:
        log("KPI service as %s (time zone %s: live figures)", admin.login, admin.tz)
        result["kpi_manager_other_tz"] = measure_kpi(env, admin, repeat)
    domain = export_domain(env, export_rows)
    log("XLSX export (ours) of %s rows", export_rows)
    result["export_ours"] = measure_our_export(env(user=manager), domain)
    log("XLSX export (Odoo's export_data + xlsx writer) of %s rows", export_rows)
    result["export_odoo"] = measure_odoo_export(env(user=manager), domain)
    result["export_speedup"] = (
        result["export_ours"]["rows_per_s"] / result["export_odoo"]["rows_per_s"]
    )
    # the same without the contact column: its per-row decryption (the
    # access add-on's Fernet token) is a fixed cost both paths pay
    no_contact = [f for f in EXPORT_FIELDS if f not in ("phone_masked", "email_masked")]
    result["export_ours_nc"] = measure_our_export(env(user=manager), domain, no_contact)
    result["export_odoo_nc"] = measure_odoo_export(env(user=manager), domain, no_contact)
    result["export_speedup_nc"] = (
        result["export_ours_nc"]["rows_per_s"] / result["export_odoo_nc"]["rows_per_s"]
    )
    if pdf_customers:
        log("PDF of %s customer profiles", pdf_customers)
        result["pdf"] = measure_pdf(env, manager, pdf_customers)
    return result


def report_lines(r):
    lines = [f"data: {r['customers']} customers, {r['followups']} follow-ups"
             f" (+{r.get('ledger_rows_added', 0)} ledger rows added)"]
    for key in ("kpi_manager", "kpi_salesperson", "kpi_manager_industry", "kpi_manager_other_tz"):
        if key not in r:
            continue
        k = r[key]
        lines.append(
            f"KPI service [{k['user']} ({k['tz']}), {k['source']}, sees {k['visible_customers']} customers"
            f"{', filter ' + k['filter'] if k.get('filter') else ''}]: "
            f"get_kpis best {k['kpi_ms_best']:.0f} ms / median {k['kpi_ms_median']:.0f} ms; "
            f"dashboard RPC best {k['dashboard_ms_best']:.0f} ms / median "
            f"{k['dashboard_ms_median']:.0f} ms; {k['queries']} queries"
            + (f" (goal <= 300 ms: {'met' if k['kpi_ms_median'] <= 300 else 'NOT met'})"
               if key in ("kpi_manager", "kpi_salesperson")
               else " (no goal)")
        )
        if "live_ms_median" in k:
            lines.append(
                f"  same call live (crm_kpi_live): median {k['live_ms_median']:.0f} ms;"
                f" aggregates {k['speedup_vs_live']:.1f}x faster;"
                f" same figures: {'yes' if k['same_as_live'] else 'NO'}"
            )
    o, s = r["export_ours"], r["export_odoo"]
    lines.append(
        f"XLSX export ours: {o['rows']} rows in {o['seconds']:.1f} s = {o['rows_per_s']:.0f} rows/s,"
        f" peak RSS growth {o['rss_growth_mb']:.0f} MB, {o['bytes'] / 1e6:.1f} MB file"
    )
    lines.append(
        f"XLSX export Odoo (export_data + xlsxwriter in memory): {s['rows']} rows in"
        f" {s['seconds']:.1f} s = {s['rows_per_s']:.0f} rows/s, peak RSS growth"
        f" {s['rss_growth_mb']:.0f} MB"
    )
    lines.append(
        f"XLSX speed-up ours/Odoo: {r['export_speedup']:.2f}x (goal >= 3x: "
        f"{'met' if r['export_speedup'] >= 3 else 'NOT met'}); memory goal <= 200 MB: "
        f"{'met' if o['rss_growth_mb'] <= 200 else 'NOT met'}"
    )
    o, s = r["export_ours_nc"], r["export_odoo_nc"]
    lines.append(
        f"XLSX without the (encrypted) contact columns: ours {o['rows_per_s']:.0f} rows/s,"
        f" {o['rss_growth_mb']:.0f} MB; Odoo {s['rows_per_s']:.0f} rows/s,"
        f" {s['rss_growth_mb']:.0f} MB; speed-up {r['export_speedup_nc']:.2f}x"
    )
    if r.get("pdf"):
        p = r["pdf"]
        lines.append(
            f"PDF customer profiles: {p['customers']} customers, {p['pages']} pages in"
            f" {p['seconds']:.1f} s = {p['seconds_per_page'] or 0:.2f} s/page"
        )
    return lines


# ---------------------------------------------------------------------------
# command line
# ---------------------------------------------------------------------------

def serve_http():
    """Serve Odoo's WSGI application on a free local port (wkhtmltopdf
    fetches the report CSS from it); returns (server, base url)."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, odoo.http.root, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, f"http://127.0.0.1:{server.server_port}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--export-rows", type=int, default=100000)
    parser.add_argument("--pdf-customers", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-ledger", action="store_true")
    parser.add_argument("--generate", type=int, default=0, metavar="N",
                        help="first generate N customers (5 follow-ups each) with "
                        "bench/generate.py and commit them")
    parser.add_argument("--commit", action="store_true", help="keep the ledger rows added")
    args = parser.parse_args(argv)

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(args.database)
    server = None
    if args.pdf_customers:
        server, base_url = serve_http()
    if args.generate:
        import importlib.util
        from pathlib import Path

        path = Path(__file__).resolve().parent / "generate.py"
        spec = importlib.util.spec_from_file_location("crm_customer_bench_generate", path)
        generate_module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(generate_module)
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            adapt_generator(generate_module, env)
            # (the generator fills the reports' stored gaps itself)
            stats = generate_module.generate(env, args.generate)
            env["crm.customer.kpi.rollup"]._rebuild()
            cr.commit()
        _logger.info("generated: %s", {k: v for k, v in stats.items() if k != "timings"})
    try:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            Param = env["ir.config_parameter"]
            report_url = Param.get_param("report.url")
            if server:
                # read by this cursor only (it builds wkhtmltopdf's URLs)
                Param.set_param("report.url", base_url)
            result = run(env, export_rows=args.export_rows, pdf_customers=args.pdf_customers,
                         repeat=args.repeat, ledger=not args.no_ledger)
            if args.commit:
                Param.set_param("report.url", report_url or False)
                cr.commit()
            else:
                cr.rollback()
    finally:
        if server:
            server.shutdown()
    for line in report_lines(result):
        print(line)  # noqa: T201 - command-line output
    return 0


if __name__ == "__main__":
    sys.exit(main())
