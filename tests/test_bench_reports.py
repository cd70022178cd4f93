# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Smoke size of the reports benchmark (bench/bench_reports.py) in CI: the
whole run works on generated data and its figures are coherent; the full
sizes run by command (see the module's docstring)."""

import importlib.util
from pathlib import Path

from odoo.tests import HttpCase, tagged

BENCH = Path(__file__).resolve().parent.parent / "bench"


def load(name):
    spec = importlib.util.spec_from_file_location(f"crm_customer_bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install", "crm_customer_bench")
class TestBenchReports(HttpCase):
    def test_bench_reports_smoke(self):
        generate, bench = load("generate"), load("bench_reports")
        bench.adapt_generator(generate, self.env)
        generate.generate(self.env, 300, followups_per_customer=3, seed=7, salespeople=3)
        result = bench.run(self.env, export_rows=250, pdf_customers=2, repeat=1)
        self.assertGreater(result["ledger_rows_added"], 0)
        for key in ("kpi_manager", "kpi_salesperson", "kpi_manager_industry"):
            # all answered from the aggregates, with the live figures
            self.assertEqual(result[key]["source"], "daily aggregates")
            self.assertTrue(result[key]["same_as_live"])
            self.assertGreater(result[key]["kpi_ms_best"], 0)
            self.assertGreater(result[key]["new_customers"], 0)
            self.assertIsNotNone(result[key]["avg_followup_cycle"])
        self.assertLess(result["kpi_salesperson"]["visible_customers"],
                        result["kpi_manager"]["visible_customers"])
        self.assertGreater(result["export_ours"]["rows"], 200)
        self.assertEqual(result["export_ours"]["rows"], result["export_odoo"]["rows"])
        self.assertGreaterEqual(result["pdf"]["pages"], 2)
        lines = bench.report_lines(result)
        self.assertTrue(any(line.startswith("XLSX speed-up") for line in lines))
