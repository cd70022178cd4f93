# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PERIOD, CrmCustomerReportsCommon, dt


@tagged("post_install", "-at_install", "crm_customer_reports")
class TestCrmCustomerKpi(CrmCustomerReportsCommon):
    def _kpis(self, user=None, **filters):
        kpi = self.Kpi.with_user(user or self.user_manager)
        with freeze_time("2026-04-10 00:00:00"):
            return kpi.get_kpis({**PERIOD, **filters})

    def _values(self, kpis, key):
        return {seg["label"]: seg["value"] for seg in kpis["breakdowns"][key]}

    def test_manager_tiles(self):
        k = self._kpis()
        t = k["tiles"]
        self.assertEqual(k["months"], ["2026-01", "2026-02", "2026-03"])
        self.assertEqual(t["new_customers"]["value"], 4)
        self.assertEqual(t["new_customers"]["trend"], [2, 1, 1])
        # previous period 2025-10-03 .. 2025-12-31: only c8 (23:00 local)
        self.assertEqual(k["filter"]["prev_from"], "2025-10-03")
        self.assertEqual(t["new_customers"]["previous"], 1)
        self.assertEqual(t["new_customers"]["change"], 300.0)
        self.assertEqual(t["won_customers"]["value"], 2)
        self.assertEqual(t["won_customers"]["trend"], [1, 1, 0])
        self.assertEqual(t["lost_customers"]["value"], 2)
        self.assertEqual(t["lost_customers"]["trend"], [0, 0, 2])
        self.assertEqual(t["conversion_rate"]["value"], 50.0)
        self.assertEqual(t["conversion_rate"]["trend"], [50.0, 100.0, 0.0])
        self.assertEqual(t["active_at_start"]["value"], 3)
        self.assertEqual(t["active_at_start"]["trend"], [3, 5, 6])
        self.assertEqual(t["churn_rate"]["value"], 66.7)
        self.assertEqual(t["churn_rate"]["trend"], [0.0, 0.0, 33.3])
        self.assertEqual(t["followup_count"]["value"], 6)
        self.assertEqual(t["followup_count"]["trend"], [4, 2, 0])
        self.assertEqual(t["avg_followup_cycle"]["value"], 11.7)
        self.assertEqual(t["avg_followup_cycle"]["trend"], [10.0, 15.0, None])
        self.assertEqual(t["avg_days_to_won"]["value"], 27.7)
        self.assertEqual(t["avg_days_to_won"]["trend"], [24.3, 31.1, None])
        self.assertEqual(t["followup_compliance_24h"]["value"], 50.0)
        self.assertEqual(t["followup_compliance_24h"]["trend"], [100.0, 0.0, 0.0])
        self.assertEqual(t["need_count"]["value"], 3)
        self.assertEqual(t["avg_need_done_days"]["value"], 1.5)
        self.assertEqual(t["avg_need_done_days"]["trend"], [2.0, None, 1.0])
        self.assertEqual(t["feedback_count"]["value"], 4)
        self.assertEqual(t["feedback_count"]["trend"], [1, 1, 2])
        self.assertEqual(t["satisfaction_avg"]["value"], 4.0)
        self.assertEqual(t["satisfaction_avg"]["trend"], [5.0, 3.0, 4.0])
        self.assertEqual(t["satisfaction_avg"]["previous"], 1.0)

    def test_archived_lost_customer_leaves_the_churn_base(self):
        """The customers active at a month start are counted among the
        customers not archived: archiving c7 (lost on 2025-11-15) neither
        counts it nor takes its loss off the others."""
        before = self._kpis()["tiles"]["active_at_start"]
        self.c["c7"].active = False
        after = self._kpis()["tiles"]["active_at_start"]
        self.assertEqual((after["value"], after["trend"]), (3, [3, 5, 6]))
        self.assertEqual((after["value"], after["trend"]), (before["value"], before["trend"]))

    def test_manager_breakdowns(self):
        k = self._kpis()
        A, B = self.user_sales_a.name, self.user_sales_b.name
        self.assertEqual(self._values(k, "followups_by_user"), {A: 5, B: 1})
        self.assertEqual(
            self._values(k, "followups_by_method"),
            {self.m_phone.name: 3, self.m_meeting.name: 1, self.m_wechat.name: 1,
             self.m_email.name: 1},
        )
        self.assertEqual(self._values(k, "needs_by_state"), {"Done": 2, "Pending": 1})
        self.assertEqual(self._values(k, "needs_by_priority"), {"Medium": 2, "High": 1})
        self.assertEqual(
            self._values(k, "feedback_by_type"),
            {self.fb_praise.name: 2, self.fb_complaint.name: 1, self.fb_suggestion.name: 1},
        )
        self.assertEqual([s["value"] for s in k["breakdowns"]["satisfaction"]], [0, 0, 1, 1, 1])
        self.assertEqual(
            self._values(k, "customers_by_state"),
            {"Potential": 3, "Intent": 1, "Won": 1, "Lost": 3},
        )
        self.assertEqual(
            [s["key"] for s in k["breakdowns"]["customers_by_state"]],
            ["potential", "intent", "won", "lost"],
        )
        grades = {s["key"]: s["value"] for s in k["breakdowns"]["customers_by_grade"]}
        self.assertEqual(grades, {"a": 2, "b": 2, "c": 2, False: 2})
        self.assertEqual(
            self._values(k, "lost_reasons"),
            {self.reason_price.name: 1, self.reason_competitor.name: 1},
        )
        self.assertEqual([s["value"] for s in k["funnel"]], [4, 3, 2])
        self.assertEqual([s["rate"] for s in k["funnel"]], [None, 75.0, 66.7])
        self.assertEqual([s["value"] for s in k["forgotten"]], [6, 4, 4, 3, 1])
        rows = {r["user_id"]: r for r in k["salespeople"]}
        self.assertEqual(
            {key: rows[self.user_sales_a.id][key]
             for key in ("customers", "followups", "compliance", "won")},
            {"customers": 4, "followups": 5, "compliance": 66.7, "won": 2},
        )
        self.assertEqual(
            {key: rows[self.user_sales_b.id][key]
             for key in ("customers", "followups", "compliance", "won")},
            {"customers": 4, "followups": 1, "compliance": 0.0, "won": 0},
        )

    def test_domains_open_the_counted_records(self):
        """Every tile and segment domain, searched as the same user, finds
        exactly the records counted."""
        for user in (self.user_manager, self.user_sales_a):
            k = self._kpis(user)
            for key in ("new_customers", "followup_count", "need_count", "feedback_count"):
                tile = k["tiles"][key]
                self.assertEqual(
                    self.env[tile["model"]].with_user(user).search_count(tile["domain"]),
                    tile["value"], key,
                )
            for key in ("followups_by_method", "customers_by_grade", "needs_by_state"):
                for seg in k["breakdowns"][key]:
                    self.assertEqual(
                        self.env[seg["model"]].with_user(user).search_count(seg["domain"]),
                        seg["value"], (key, seg["label"]),
                    )
            for key in ("new_customers", "followup_count", "feedback_count", "won_customers"):
                tile = k["tiles"][key]
                self.assertEqual(len(tile["month_domains"]), 3, key)
                if key == "won_customers":
                    continue  # counts distinct customers, checked below
                self.assertEqual(
                    [self.env[tile["model"]].with_user(user).search_count(d)
                     for d in tile["month_domains"]],
                    tile["trend"], key,
                )
            won = k["tiles"]["won_customers"]
            ledger_rows = self.env[won["model"]].with_user(user).search(won["domain"])
            self.assertEqual(len(ledger_rows.customer_id), won["value"])
            with freeze_time("2026-04-10 00:00:00"):
                for seg in k["forgotten"]:
                    self.assertEqual(
                        self.env["crm.customer"].with_user(user).search_count(seg["domain"]),
                        seg["value"],
                    )

    def test_salesperson_sees_only_own_figures(self):
        k = self._kpis(self.user_sales_a)
        t = k["tiles"]
        self.assertEqual(t["new_customers"]["value"], 3)
        self.assertEqual(t["new_customers"]["trend"], [2, 1, 0])
        self.assertEqual(t["won_customers"]["value"], 2)
        self.assertEqual(t["lost_customers"]["value"], 2)
        self.assertEqual(t["active_at_start"]["value"], 0)
        self.assertIsNone(t["churn_rate"]["value"])
        self.assertEqual(t["followup_count"]["value"], 5)
        self.assertEqual(t["avg_followup_cycle"]["value"], 12.5)
        self.assertEqual(t["followup_compliance_24h"]["value"], 66.7)
        self.assertEqual(t["need_count"]["value"], 2)
        self.assertEqual(t["feedback_count"]["value"], 2)
        self.assertEqual(t["satisfaction_avg"]["value"], 4.0)
        self.assertEqual(self._values(k, "followups_by_user"), {self.user_sales_a.name: 5})
        self.assertEqual([r["user_id"] for r in k["salespeople"]], [self.user_sales_a.id])
        self.assertEqual([s["value"] for s in k["forgotten"]], [1, 1, 1, 0, 0])
        # asking for B's figures gives nothing of B's
        k_b = self._kpis(self.user_sales_a, user_id=self.user_sales_b.id)
        self.assertEqual(k_b["tiles"]["new_customers"]["value"], 0)
        self.assertEqual(k_b["tiles"]["followup_count"]["value"], 0)
        self.assertEqual(k_b["salespeople"], [])
        # B sees B's
        k_own_b = self._kpis(self.user_sales_b)
        self.assertEqual(k_own_b["tiles"]["new_customers"]["value"], 1)
        self.assertEqual(k_own_b["tiles"]["won_customers"]["value"], 0)
        self.assertEqual(k_own_b["tiles"]["conversion_rate"]["value"], 0.0)
        self.assertEqual(k_own_b["tiles"]["avg_followup_cycle"]["value"], 10.0)

    def test_time_zone_moves_the_boundaries(self):
        """In UTC, c5/c8 (created 16:00/15:00 UTC on Dec 31) fall in December
        and c4 (Mar 31 16:00 UTC) falls in March."""
        kpi = self.Kpi.with_user(self.user_manager).with_context(tz="UTC")
        k = kpi.get_kpis(PERIOD)
        self.assertEqual(k["tiles"]["new_customers"]["value"], 4)
        self.assertEqual(k["tiles"]["new_customers"]["trend"], [1, 1, 2])
        new = self.env["crm.customer"].search(k["tiles"]["new_customers"]["domain"])
        self.assertEqual(new, self.c["c1"] | self.c["c2"] | self.c["c3"] | self.c["c4"])

    def test_empty_period(self):
        # salesperson A: c1 (won) is active, c2, c5, c7 are lost
        k = self._kpis(self.user_sales_a, date_from="2030-01-01", date_to="2030-01-31")
        t = k["tiles"]
        self.assertEqual(t["new_customers"]["value"], 0)
        self.assertEqual(t["won_customers"]["value"], 0)
        self.assertIsNone(t["conversion_rate"]["value"])
        self.assertEqual(t["churn_rate"]["value"], 0.0)  # 1 active, none lost
        self.assertEqual(t["active_at_start"]["value"], 1)
        self.assertIsNone(t["avg_followup_cycle"]["value"])
        self.assertIsNone(t["avg_days_to_won"]["value"])
        self.assertIsNone(t["followup_compliance_24h"]["value"])
        self.assertIsNone(t["satisfaction_avg"]["value"])
        self.assertEqual(k["breakdowns"]["followups_by_user"], [])
        self.assertEqual([s["value"] for s in k["funnel"]], [0, 0, 0])

    def test_dimension_filters(self):
        self.assertEqual(self._kpis(grade="a")["tiles"]["new_customers"]["value"], 2)
        self.assertEqual(
            self._kpis(industry_id=self.industry_mfg.id)["tiles"]["new_customers"]["value"], 2
        )
        self.assertEqual(
            self._kpis(source_id=self.source_web.id)["tiles"]["new_customers"]["value"], 2
        )
        k = self._kpis(user_id=self.user_sales_b.id)
        self.assertEqual(k["tiles"]["new_customers"]["value"], 1)
        self.assertEqual(k["tiles"]["followup_count"]["value"], 1)
        self.assertIn(self.user_sales_b.name, k["filter"]["text"])

    def test_presets_and_bad_input(self):
        kpi = self.Kpi.with_user(self.user_manager)
        with freeze_time("2026-02-15 12:00:00"):
            f = kpi.get_kpis({"preset": "this_month"})["filter"]
            self.assertEqual((f["date_from"], f["date_to"]), ("2026-02-01", "2026-02-28"))
            self.assertEqual((f["prev_from"], f["prev_to"]), ("2026-01-01", "2026-01-31"))
            f = kpi.get_kpis({"preset": "this_quarter"})["filter"]
            self.assertEqual((f["date_from"], f["date_to"]), ("2026-01-01", "2026-03-31"))
            self.assertEqual(f["prev_from"], "2025-10-01")
            f = kpi.get_kpis({"preset": "this_year"})["filter"]
            self.assertEqual((f["date_from"], f["date_to"]), ("2026-01-01", "2026-12-31"))
            f = kpi.get_kpis({"preset": "last_12_months"})["filter"]
            self.assertEqual((f["date_from"], f["date_to"]), ("2025-03-01", "2026-02-28"))
        with self.assertRaises(UserError):
            kpi.get_kpis({"preset": "custom", "date_from": "2026-03-01", "date_to": "2026-01-01"})
        with self.assertRaises(UserError):
            kpi.get_kpis({"preset": "fortnight"})
        with self.assertRaises(UserError):
            kpi.get_kpis({"preset": "custom", "date_from": "2026-13-45", "date_to": "2026-01-01"})
        with self.assertRaises(UserError):
            kpi.get_kpis({"preset": "custom", "date_from": "2000-01-01", "date_to": "2026-01-01"})
        with self.assertRaises(UserError):
            kpi.get_kpis({**PERIOD, "grade": "z"})
        with self.assertRaises(UserError):
            kpi.get_kpis({**PERIOD, "team_id": "abc"})

    def test_dashboard_query_count_constant_in_n(self):
        """One dashboard load costs the same number of queries with 9 or 69
        customers (and their follow-ups)."""
        kpi = self.Kpi.with_user(self.user_manager)

        def count_queries():
            self.env.invalidate_all()
            self.env.registry.clear_cache()
            kpi.get_dashboard_data(PERIOD)  # warm the ORM caches (rules, fields)
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            kpi.get_dashboard_data(PERIOD)
            return self.env.cr.sql_log_count - before

        small = count_queries()
        customers = self.env["crm.customer"].create([
            {"name": f"批量 {i}", "customer_kind": "person", "industry_id": self.industry_it.id,
             "contact_name": "联系人", "phone": f"1390000{i:04d}",
             "user_id": (self.user_sales_a if i % 2 else self.user_sales_b).id,
             "grade": "abc"[i % 3]}
            for i in range(60)
        ])
        self._set_dates("crm_customer", {c.id: dt("2026-02-01 00:00:00") for c in customers})
        self.env["crm.customer.followup"].create([
            {"customer_id": c.id, "followup_date": dt("2026-02-02 00:00:00"),
             "method_id": self.m_phone.id, "content": "批量", "user_id": c.user_id.id}
            for c in customers
        ])
        large = count_queries()
        self.assertEqual(small, large)
        self.env.invalidate_all()
        with self.assertQueryCount(large):
            self.Kpi.with_user(self.user_manager).get_dashboard_data(PERIOD)

    def test_stored_gaps_follow_edits_and_deletions(self):
        """gap_days and first_followup_date stay right when follow-ups are
        added out of order, moved and deleted."""
        Followup = self.env["crm.customer.followup"]
        c1 = self.c["c1"]
        followups = Followup.search([("customer_id", "=", c1.id)], order="followup_date")
        self.assertEqual(followups.mapped("gap_days"), [0.0, 10.0, 15.0])  # 0.0 = empty
        self.assertFalse(followups[0].gap_days)
        self.assertEqual(c1.first_followup_date, dt("2026-01-10 10:00:00"))
        # insert one between the 2nd and the 3rd
        middle = Followup.create({
            "customer_id": c1.id, "followup_date": dt("2026-01-25 10:00:00"),
            "method_id": self.m_phone.id, "content": "中间", "user_id": self.user_sales_a.id,
        })
        self.assertEqual(middle.gap_days, 5.0)
        self.assertEqual(followups[2].gap_days, 10.0)
        # move the first one later: the former second becomes the first
        followups[0].followup_date = dt("2026-01-22 10:00:00")
        self.assertFalse(followups[1].gap_days)
        self.assertEqual(followups[0].gap_days, 2.0)
        self.assertEqual(c1.first_followup_date, dt("2026-01-20 10:00:00"))
        # delete the middle one
        middle.unlink()
        self.assertEqual(followups[2].gap_days, 13.0)
        k = self._kpis(self.user_sales_a)
        # c1: 2 (01-20 -> 01-22), 13 (01-22 -> 02-04); c2, c5: single follow-ups
        self.assertEqual(k["tiles"]["avg_followup_cycle"]["value"], 7.5)

    def test_user_without_customer_rights_gets_no_figures(self):
        from odoo.exceptions import AccessError
        from odoo.tests import new_test_user

        outsider = new_test_user(self.env, login="rep_outsider", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.Kpi.with_user(outsider).get_kpis(PERIOD)
        with self.assertRaises(AccessError):
            self.Kpi.with_user(outsider).get_dashboard_data(PERIOD)
