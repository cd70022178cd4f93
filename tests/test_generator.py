# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Smoke test of the data generator (bench/generate.py) at CI size.

The generator writes with COPY; these tests check that what it wrote is what
the ORM would have written: codes continuing with the ORM's own sequence
ranges, credit codes and phones accepted by the model's constraints, and
every stored computed field equal to its recomputation by the ORM.
"""

import importlib.util
import logging
import re
from collections import defaultdict
from datetime import datetime, time as dtime, timedelta
from pathlib import Path

import pytz
from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged

_logger = logging.getLogger(__name__)

MODELS = ("crm.customer", "crm.customer.followup", "crm.customer.need", "crm.customer.feedback")
LETTERS = {"crm.customer": "C", "crm.customer.followup": "G", "crm.customer.need": "D",
           "crm.customer.feedback": "F"}
SHANGHAI = pytz.timezone("Asia/Shanghai")


def load_generator():
    path = Path(__file__).resolve().parent.parent / "bench" / "generate.py"
    spec = importlib.util.spec_from_file_location("crm_customer_bench_generate", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def local_date(utc_naive):
    return pytz.utc.localize(utc_naive).astimezone(SHANGHAI).date()


@tagged("post_install", "-at_install", "crm_customer_bench")
class TestGenerator(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gen = load_generator()
        cls.env = cls.env(context=dict(cls.env.context, tz="Asia/Shanghai"))
        # A customer created through the ORM before the generator runs: today's
        # range exists and its first number is taken.
        cls.industry = cls.env.ref("base.res_partner_industry_J")
        cls.before = cls.env["crm.customer"].create({
            "name": "杭州先行科技有限公司", "industry_id": cls.industry.id,
            "contact_name": "王伟", "phone": "13800138000",
        })
        cls.expected_start = cls._expected_starts()
        cls.schema_before = cls._schema()
        # Creation times spread over twice the time elapsed since midnight in
        # Shanghai: about half of the records fall on today, half on yesterday,
        # whatever the hour the test runs at.
        local_now = pytz.utc.localize(cls.env.cr.now()).astimezone(SHANGHAI)
        since_midnight = (local_now - local_now.replace(hour=0, minute=0, second=0,
                                                        microsecond=0)).total_seconds()
        # bulk=True exercises the drop / re-create of indexes and foreign keys too
        cls.stats = cls.gen.generate(cls.env, 200, followups_per_customer=5, seed=42,
                                     span_days=max(2 * since_midnight, 60) / 86400,
                                     salespeople=6, bulk=True)
        cls.first = cls.stats["first_ids"]
        # next numbers right after the run (PostgreSQL sequences are not rolled back
        # with a test's savepoint, so later tests drawing codes move them on)
        cls.range_next = {}
        for model in MODELS:
            seq = cls.env["ir.sequence"].search(
                [("code", "=", cls.env[model]._crm_code_sequence)])
            for rng in seq.date_range_ids:
                cls.range_next[model, rng.date_from] = (rng.date_to, rng.number_next_actual)
        cls.records = {
            model: cls.env[model].with_context(active_test=False).search(
                [("id", ">=", cls.first[model])], order="id")
            for model in MODELS
        }

    @classmethod
    def _expected_starts(cls):
        """Per model and day (yyyymmdd) of the last three days, the number the next
        draw must get: after the range's next number and after any code in the table."""
        today = local_date(cls.env.cr.now())
        out = {}
        for model in MODELS:
            seq = cls.env["ir.sequence"].search(
                [("code", "=", cls.env[model]._crm_code_sequence)])
            out[model] = {}
            for delta in range(3):
                day = today - timedelta(days=delta)
                rng = cls.env["ir.sequence.date_range"].search(
                    [("sequence_id", "=", seq.id), ("date_from", "<=", day), ("date_to", ">=", day)])
                prefix = f"{LETTERS[model]}{day:%Y%m%d}"
                used = [int(c[9:]) for c in cls.env[model].with_context(active_test=False).search(
                    [("code", "=like", prefix + "%")]).mapped("code")]
                out[model][f"{day:%Y%m%d}"] = max(
                    rng.number_next_actual if rng else 1, max(used, default=0) + 1)
        return out

    @classmethod
    def _schema(cls):
        cls.env.cr.execute("""
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
             WHERE conrelid::regclass::text LIKE 'crm_customer%%'
             UNION ALL
            SELECT tablename, indexname, indexdef FROM pg_indexes WHERE tablename LIKE 'crm_customer%%'
             ORDER BY 1, 2, 3""")
        return cls.env.cr.fetchall()

    def test_schema_restored(self):
        """Indexes and foreign keys dropped for the bulk load are back, identical."""
        self.assertEqual(self._schema(), self.schema_before)
        self.assertGreater(len(self.schema_before), 40)

    def test_counts(self):
        st = self.stats
        self.assertEqual((st["customers"], st["followups"], st["needs"], st["feedback"]),
                         (200, 1000, 100, 60))
        for model, count in zip(MODELS, (200, 1000, 100, 60), strict=True):
            self.assertEqual(len(self.records[model]), count, model)
        customers = self.records["crm.customer"]
        self.assertEqual(len(customers.user_id), 6)
        self.assertTrue(all(u.tz == "Asia/Shanghai" for u in customers.user_id))
        self.assertTrue(all(u.has_group("crm_customer_template.group_crm_customer_user")
                            for u in customers.user_id))
        self.assertGreaterEqual(len(customers.team_id), 2)
        self.assertEqual(set(customers.mapped("state")), {"potential", "intent", "won", "lost"})
        self.assertTrue(customers.filtered(lambda c: c.customer_kind == "person"))
        self.assertEqual(sum(customers.mapped("followup_count")), 1000)

    def test_codes(self):
        """C/G/D/F + date of create_date in Asia/Shanghai + counter in creation order,
        unique, continuing after the ORM's own draws."""
        today = local_date(self.env.cr.now())
        for model in MODELS:
            records = self.records[model]
            letter = LETTERS[model]
            by_day = defaultdict(list)
            for rec in records.sorted(lambda r: (r.create_date, r.id)):
                match = re.fullmatch(rf"{letter}(\d{{8}})(\d{{3,}})", rec.code)
                self.assertTrue(match, rec.code)
                self.assertEqual(match.group(1), local_date(rec.create_date).strftime("%Y%m%d"))
                by_day[match.group(1)].append(int(match.group(2)))
            self.assertEqual(len(set(records.mapped("code"))), len(records))
            for day, numbers in by_day.items():
                start = self.expected_start[model][day]
                self.assertEqual(numbers, list(range(start, start + len(numbers))), f"{model} {day}")
            self.assertIn(today.strftime("%Y%m%d"), by_day, f"{model}: nothing generated today")
        # the customer created through the ORM before the run keeps its (earlier) number
        before = int(self.before.code[9:])
        self.assertLess(before, self.expected_start["crm.customer"][f"{today:%Y%m%d}"])

    def _orm_customer(self, user):
        return self.env["crm.customer"].with_user(user).create({
            "name": "上海后来信息技术有限公司", "industry_id": self.industry.id,
            "contact_name": "李娜", "phone": "021-6888 1234",
        })

    def test_orm_continues_today(self):
        user = self.records["crm.customer"].user_id[0]
        today = f"{local_date(self.env.cr.now()):%Y%m%d}"
        prefix = f"C{today}"
        last = max(int(c[len(prefix):]) for c in self.records["crm.customer"].mapped("code")
                   if c.startswith(prefix))
        seq = self.env["ir.sequence"].search([("code", "=", "crm.customer")])
        today_range = seq.date_range_ids.filtered(lambda r: f"{r.date_from:%Y%m%d}" == today)
        expected = today_range.number_next_actual  # other tests may have drawn numbers
        self.assertGreater(expected, last)
        customer = self._orm_customer(user)
        self.assertEqual(customer.code, f"{prefix}{expected:03d}")
        followup = self.env["crm.customer.followup"].with_user(user).create({
            "customer_id": customer.id, "content": "电话沟通",
            "method_id": self.env.ref("crm_customer_template.crm_customer_followup_method_phone").id,
        })
        gprefix = f"G{today}"
        glast = max(int(c[len(gprefix):]) for c in self.records["crm.customer.followup"].mapped("code")
                    if c.startswith(gprefix))
        self.assertEqual(followup.code, f"{gprefix}{glast + 1:03d}")

    def test_orm_continues_yesterday(self):
        """A day whose date range the generator created: a later ORM draw on that
        day continues after the generated codes."""
        user = self.records["crm.customer"].user_id[0]
        now = self.env.cr.now()
        yesterday = local_date(now) - timedelta(days=1)
        noon = SHANGHAI.localize(datetime.combine(yesterday, dtime(12))).astimezone(pytz.utc)
        prefix = f"C{yesterday:%Y%m%d}"
        codes = [c for c in self.records["crm.customer"].mapped("code") if c.startswith(prefix)]
        self.assertTrue(codes)
        with freeze_time(noon.replace(tzinfo=None)):
            customer = self._orm_customer(user)
        self.assertEqual(customer.code, f"{prefix}{max(int(c[9:]) for c in codes) + 1:03d}")

    def test_date_ranges(self):
        """Every day with generated codes has a daily range whose next number follows them."""
        for model in MODELS:
            last = defaultdict(int)
            for code in self.records[model].mapped("code"):
                last[code[1:9]] = max(last[code[1:9]], int(code[9:]))
            for day, number in last.items():
                d = datetime.strptime(day, "%Y%m%d").date()
                self.assertEqual(self.range_next.get((model, d)), (d, number + 1), f"{model} {day}")

    def test_credit_codes_and_phones(self):
        customers = self.records["crm.customer"]
        companies = customers.filtered(lambda c: c.customer_kind == "company")
        persons = customers - companies
        with_code = companies.filtered("credit_code")
        self.assertGreater(len(with_code), len(companies) // 2)
        self.assertFalse(persons.filtered("credit_code"))
        self.assertEqual(len(set(with_code.mapped("credit_code"))), len(with_code))
        # the model's own constraints accept every generated value
        customers._check_credit_code()
        customers._check_phone()
        customers._check_crm_required_fields()
        for model in MODELS[1:]:
            self.records[model]._check_crm_required_fields()
        # and refuse a broken one, so the check above means something
        broken = with_code[0].credit_code[:17] + ("0" if with_code[0].credit_code[17] != "0" else "1")
        Customer = self.env["crm.customer"]
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            Customer.create({"name": "x", "industry_id": self.industry.id, "contact_name": "x",
                             "phone": "13800138000", "credit_code": broken})
        self.assertTrue(all(c.phone == re.sub(r"\D", "", c.phone) for c in customers))

    def _stored_computed(self, model):
        return [f for f in self.env[model]._fields.values() if f.store and f.compute]

    def _snapshot(self, records, fields):
        cols = ", ".join(f'"{f.name}"' for f in fields)
        self.env.cr.execute(
            f'SELECT id, {cols} FROM "{records._table}" WHERE id = ANY(%s) ORDER BY id',
            [records.ids])
        return self.env.cr.fetchall()

    def test_stored_computed_equal_orm(self):
        """Recompute every stored computed field through the ORM: nothing changes."""
        samples = dict(self.records)
        samples["mail.activity"] = self.records["crm.customer.followup"].activity_id
        self.assertTrue(samples["mail.activity"], "no open activity generated")
        for model, records in samples.items():
            fields = self._stored_computed(model)
            self.assertTrue(fields, model)
            self.env.flush_all()
            before = self._snapshot(records, fields)
            self.env.invalidate_all()
            for field in fields:
                self.env.add_to_compute(field, records)
            self.env.flush_all()
            after = self._snapshot(records, fields)
            for row_before, row_after in zip(before, after, strict=True):
                self.assertEqual(row_before, row_after, f"{model}: {[f.name for f in fields]}")
        customers = self.records["crm.customer"]
        self.assertTrue(customers.filtered("last_followup_date"))
        self.assertTrue(all(c.team_id == c.user_id.sale_team_id for c in customers))

    def test_activities_as_orm(self):
        """Open activities are those the follow-up would schedule (model's own values)."""
        followups = self.records["crm.customer.followup"].filtered("activity_id")
        for followup in followups:
            expected = followup._next_activity_values()
            activity = followup.activity_id
            self.assertEqual(activity.res_model, "crm.customer")
            self.assertEqual(activity.res_id, expected["res_id"])
            self.assertEqual(activity.user_id.id, expected["user_id"])
            self.assertEqual(activity.date_deadline, expected["date_deadline"])
            self.assertEqual(activity.summary, expected["summary"])
            self.assertEqual(activity.activity_type_id, self.env.ref(
                "crm_customer_template.mail_activity_type_crm_customer_followup"))
        without = self.records["crm.customer.followup"].filtered(lambda f: not f.next_plan)
        self.assertFalse(without.activity_id)

    def test_audit_columns(self):
        now = self.env.cr.now()
        users = self.env["res.users"].browse(self.stats["salespeople"])
        for model in MODELS:
            for rec in self.records[model]:
                self.assertLessEqual(rec.create_date, rec.write_date)
                self.assertLessEqual(rec.write_date, now)
                self.assertIn(rec.create_uid, users)
                self.assertIn(rec.write_uid, users)
                if model != "crm.customer":
                    self.assertGreaterEqual(rec.create_date, rec.customer_id.create_date)
        for followup in self.records["crm.customer.followup"]:
            self.assertLessEqual(followup.followup_date, followup.create_date)
            self.assertGreaterEqual(followup.followup_date, followup.customer_id.create_date)

    def test_rate_report(self):
        partner = self.gen.measure_partner_create(self.env, 100)
        lines = self.gen.report_lines(self.stats, partner)
        _logger.info("\n".join(lines))
        self.assertGreater(partner["rows_per_second"], 0)
        self.assertTrue(any("ratio" in line for line in lines))
        # the rolled-back savepoint left no partner behind
        self.assertFalse(self.env["res.partner"].search([("email", "=like", "info%@example.com.cn")]))
