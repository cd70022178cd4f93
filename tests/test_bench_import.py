# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Smoke size of the import benchmark (bench/bench_import.py): both paths
import every row, the dry run writes nothing, the figures are printed.
Rates are not asserted here (CI machines vary) and the sizes stay small:
codes are drawn from today's daily range (3-digit counter) and PostgreSQL
sequences are not rolled back. The full-size run is
``python bench/bench_import.py -c odoo.conf -d db --rows 100000``."""

import importlib.util
import logging
from pathlib import Path

from odoo.tests import TransactionCase, tagged

_logger = logging.getLogger(__name__)


def load_bench():
    path = Path(__file__).resolve().parent.parent / "bench" / "bench_import.py"
    spec = importlib.util.spec_from_file_location("crm_customer_bench_import", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install", "crm_customer_bench")
class TestBenchImport(TransactionCase):
    def test_smoke(self):
        bench = load_bench()
        admin = self.env.ref("base.user_admin")
        env = self.env(user=admin, context=dict(self.env.context, tz="Asia/Shanghai"))
        count = env["crm.customer"].search_count([])
        lines = []
        figures = bench.run_benchmark(env, rows=100, dry_rows=50, log=lines.append)
        _logger.info("\n".join(map(str, lines)))
        self.assertEqual(figures["wizard_created"], 100)
        self.assertEqual(figures["wizard_errors"], 0)
        self.assertEqual(figures["load_created"], 100)
        self.assertEqual(figures["dry_wrote"], 0)
        self.assertGreater(figures["ratio"], 0)
        self.assertIn("ratio wizard/load", lines[0])
        # everything was rolled back
        self.assertEqual(env["crm.customer"].search_count([]), count)

    def test_smoke_xlsx(self):
        bench = load_bench()
        admin = self.env.ref("base.user_admin")
        env = self.env(user=admin, context=dict(self.env.context, tz="Asia/Shanghai"))
        figures = bench.run_benchmark(env, rows=20, file_format="xlsx", log=lambda _m: None)
        self.assertEqual((figures["wizard_created"], figures["load_created"]), (20, 20))
