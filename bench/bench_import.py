#!/usr/bin/env python3
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Import benchmark: the same generated customer rows imported through the
import wizard and through Odoo's own ``load()`` on ``crm.customer``, in the
same run, each inside a savepoint rolled back afterwards. Prints both rates,
their ratio, the memory growth of the process and the time of a dry run.

Run it on a benchmark database (e.g. a copy made with ``createdb -T``): the
records are rolled back, but PostgreSQL sequences are not, so today's code
counter of ``crm.customer`` advances by twice the number of rows.

From the command line::

    python bench/bench_import.py -c odoo.conf -d crm_bench --rows 100000 --dry-rows 10000

From Python (the CI smoke test)::

    run_benchmark(env, rows=300, dry_rows=100)

The wizard reads a real file (CSV, UTF-8; ``--format xlsx`` for a workbook)
with Chinese headers, Chinese dictionary names where the database has them,
phones written ``+86 139-xxxx-xxxx``; it validates every row (required
values, formats, dictionaries, duplicates in the file and in the database,
the model's constraints) and creates the records in chunks. ``load()`` gets
the same rows already parsed, in the form it wants (technical field names,
values as ``base_import`` would pass them), with the context base_import uses;
its time does not include reading the file, the wizard's does.
"""

import argparse
import base64
import csv
import io
import logging
import random
import resource
import sys
import time

_logger = logging.getLogger("crm_customer_template.bench.import")

HEADERS_ZH = ["客户名称", "客户类型", "统一社会信用代码", "客户状态", "所属行业", "联系人",
              "联系电话", "邮箱", "客户等级", "客户来源", "城市", "员工人数"]
LOAD_FIELDS = ["name", "customer_kind", "credit_code", "state", "industry_id", "contact_name",
               "phone", "email", "grade", "source_id", "city", "employee_count"]


def _credit_code(index, check_char):
    base = f"91{310000 + index % 90000:06d}MB{index:07d}"[:17]
    return base + check_char(base)


def make_rows(env, count, seed=42, prefix="BenchImport"):
    """``count`` distinct valid rows: ``(wizard_rows, load_rows)`` where the
    wizard's rows are what a user's file holds and ``load_rows`` the same data
    as ``load()`` takes it."""
    from odoo.addons.crm_customer_template.models.crm_customer import (  # noqa: PLC0415
        credit_code_check_char,
    )

    rng = random.Random(seed)
    industries = env["res.partner.industry"].search([])
    sources = env["crm.customer.source"].search([])
    grades = [("a", "A"), ("b", "B"), ("c", "C")]
    wizard_rows, load_rows = [HEADERS_ZH], []
    for index in range(count):
        industry = industries[index % len(industries)]
        source = sources[index % len(sources)]
        company = index % 5 != 0
        grade_value, grade_label = grades[index % 3]
        mobile = f"13{rng.randint(0, 9)}{index:08d}"
        name = f"{prefix} {seed}-{index} {'有限公司' if company else '个人'}"
        credit = (
            _credit_code((seed * 100000 + index) % 10**7, credit_code_check_char)
            if company else ""
        )
        email = f"c{index}@bench.example.com"
        employees = str(rng.randint(1, 5000)) if company else ""
        wizard_rows.append([
            name, "企业" if company else "个人", credit, "潜在客户", industry.name,
            f"联系人{index}", f"+86 {mobile[:3]}-{mobile[3:7]}-{mobile[7:]}", email,
            grade_label, source.name, "杭州", employees,
        ])
        load_rows.append([
            name, "company" if company else "person", credit, "potential", industry.name,
            f"联系人{index}", mobile, email, grade_value, source.name, "杭州", employees,
        ])
    return wizard_rows, load_rows


def to_csv(rows):
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return text.getvalue().encode("utf-8")


def to_xlsx(rows):
    import xlsxwriter  # noqa: PLC0415

    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value)
    book.close()
    return output.getvalue()


def _peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _current_rss_mb():
    try:
        import psutil  # noqa: PLC0415

        return psutil.Process().memory_info().rss / 1024.0 / 1024.0
    except ImportError:  # pragma: no cover
        return _peak_rss_mb()


def run_benchmark(env, rows=1000, dry_rows=None, seed=42, file_format="csv", log=print):
    """Run the benchmark in ``env`` (a manager of the add-on, e.g. admin) and
    return its figures. Everything written is rolled back."""
    Customer = env["crm.customer"]
    cr = env.cr
    wizard_rows, load_rows = make_rows(env, rows, seed=seed)
    content = to_csv(wizard_rows) if file_format == "csv" else to_xlsx(wizard_rows)
    file_name = f"bench.{file_format}"
    figures = {"rows": rows, "file_bytes": len(content)}

    # 1. the wizard, from the file
    rss_before = _current_rss_mb()
    peak_before = _peak_rss_mb()
    savepoint = cr.savepoint()
    try:
        wizard = env["crm.customer.import"].create({
            "file": base64.b64encode(content), "file_name": file_name,
        })
        start = time.perf_counter()
        wizard.with_context(crm_import_foreground=True).action_import()
        env.flush_all()
        figures["wizard_seconds"] = time.perf_counter() - start
        batch = wizard.batch_id
        figures["wizard_created"] = batch.count_created
        figures["wizard_errors"] = batch.count_error
        if batch.count_error:
            log(batch.message)
        figures["rss_growth_mb"] = _current_rss_mb() - rss_before
        figures["peak_rss_growth_mb"] = _peak_rss_mb() - peak_before
    finally:
        savepoint.close(rollback=True)
        env.invalidate_all()

    # 2. Odoo's load(), same rows, already parsed, base_import's context
    savepoint = cr.savepoint()
    try:
        model = Customer.with_context(
            import_file=True, name_create_enabled_fields={}, import_set_empty_fields=[],
            import_skip_records=[], _import_limit=None,
        )
        start = time.perf_counter()
        result = model.load(LOAD_FIELDS, load_rows)
        env.flush_all()
        figures["load_seconds"] = time.perf_counter() - start
        figures["load_created"] = len(result["ids"] or [])
        if not result["ids"]:
            log(result["messages"][:3])
    finally:
        savepoint.close(rollback=True)
        env.invalidate_all()

    figures["wizard_rate"] = rows / figures["wizard_seconds"]
    figures["load_rate"] = rows / figures["load_seconds"]
    figures["ratio"] = figures["wizard_rate"] / figures["load_rate"]

    # 3. dry run
    if dry_rows:
        dry_content = to_csv(make_rows(env, dry_rows, seed=seed + 1)[0])
        count_before = Customer.search_count([])
        wizard = env["crm.customer.import"].create({
            "file": base64.b64encode(dry_content), "file_name": "dry.csv",
        })
        start = time.perf_counter()
        wizard.action_dry_run()
        figures["dry_rows"] = dry_rows
        figures["dry_seconds"] = time.perf_counter() - start
        figures["dry_wrote"] = Customer.search_count([]) - count_before

    log(
        "import benchmark: {rows} rows ({fmt}, {kb:.0f} KiB)\n"
        "  wizard (file -> records, validation included): {ws:8.2f} s  {wr:8.0f} rows/s"
        "  created {wc}\n"
        "  load() (parsed rows -> records):                {ls:8.2f} s  {lr:8.0f} rows/s"
        "  created {lc}\n"
        "  ratio wizard/load: {ratio:.2f}x   memory growth: {rss:.0f} MB (peak +{peak:.0f} MB)"
        .format(rows=rows, fmt=file_format, kb=len(content) / 1024, ws=figures["wizard_seconds"],
                wr=figures["wizard_rate"], wc=figures["wizard_created"],
                ls=figures["load_seconds"], lr=figures["load_rate"], lc=figures["load_created"],
                ratio=figures["ratio"], rss=figures["rss_growth_mb"],
                peak=figures["peak_rss_growth_mb"])
    )
    if dry_rows:
        log("  dry run of {n} rows: {s:.2f} s (wrote {w} records)".format(
            n=dry_rows, s=figures["dry_seconds"], w=figures["dry_wrote"]))
    return figures


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--rows", type=int, default=100000)
    parser.add_argument("--dry-rows", type=int, default=10000)
    parser.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)

    import odoo  # noqa: PLC0415
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        admin = env.ref("base.user_admin")
        env = api.Environment(cr, admin.id, {"tz": admin.tz or "Asia/Shanghai"})
        figures = run_benchmark(env, rows=args.rows, dry_rows=args.dry_rows, seed=args.seed,
                                file_format=args.format)
        cr.rollback()
    return 0 if figures["wizard_created"] == args.rows else 1


if __name__ == "__main__":
    sys.exit(main())
