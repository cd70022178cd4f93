# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from freezegun import freeze_time

from odoo import Command
from odoo.tests import Form, new_test_user, tagged

from .common import PERIOD, CrmCustomerReportsCommon, dt

TZ_PARAM = "crm_customer_template_reports.kpi_rollup_tz"

FILTERS = [
    PERIOD,
    {"preset": "custom", "date_from": "2025-01-01", "date_to": "2026-12-31"},
    {"preset": "custom", "date_from": "2026-01-15", "date_to": "2026-03-20"},  # mid-month
    {"preset": "this_year"},
    {"preset": "last_12_months"},
    {"preset": "this_month"},
]


@tagged("post_install", "-at_install", "crm_customer_reports")
class TestCrmCustomerKpiRollup(CrmCustomerReportsCommon):
    """The daily aggregates give exactly the live figures, fresh or not."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(TZ_PARAM, "Asia/Shanghai")
        cls.Rollup = cls.env["crm.customer.kpi.rollup"]
        cls.Rollup._rebuild()

    def _both(self, user, filters):
        """(aggregated, live) answers of the same call, as JSON texts."""
        kpi = self.Kpi.with_user(user)
        with freeze_time("2026-04-10 00:00:00"):
            self.env.invalidate_all()
            aggregated = kpi.get_kpis(filters)
            self.env.invalidate_all()
            live = kpi.with_context(crm_kpi_live=True).get_kpis(filters)
        return (json.dumps(aggregated, sort_keys=True, default=str),
                json.dumps(live, sort_keys=True, default=str))

    def _usable(self, user, filters=PERIOD, tz="Asia/Shanghai"):
        kpi = self.Kpi.with_user(user).with_context(tz=tz)
        with freeze_time("2026-04-10 00:00:00"):
            flt = kpi._normalize_filter(filters)
            return self.Rollup.with_user(user)._usable(flt)

    def assertSameFigures(self, user=None, filters_list=FILTERS):
        for filters in filters_list:
            # the aggregated side does read the aggregates
            self.assertIsNotNone(self._usable(user or self.user_manager, filters))
            aggregated, live = self._both(user or self.user_manager, filters)
            self.assertEqual(aggregated, live, f"figures differ for {filters}")

    def test_who_gets_the_aggregates(self):
        self.assertEqual(self._usable(self.user_manager), {})
        # a salesperson: the rows of their customers
        self.assertEqual(self._usable(self.user_sales_a), {})
        # a salesperson filter alone, for the manager
        self.assertEqual(
            self._usable(self.user_manager, {**PERIOD, "user_id": self.user_sales_b.id}), {})
        # a salesperson filtering on themselves
        self.assertEqual(
            self._usable(self.user_sales_a, {**PERIOD, "user_id": self.user_sales_a.id}), {})
        # one dimension for the manager
        self.assertEqual(self._usable(self.user_manager, {**PERIOD, "grade": "a"}), {})
        # two dimensions, or a salesperson filtering on another: live
        self.assertIsNone(self._usable(
            self.user_manager, {**PERIOD, "grade": "a", "industry_id": self.industry_it.id}))
        self.assertIsNone(self._usable(self.user_sales_a, {**PERIOD, "user_id": self.user_sales_b.id}))
        self.assertIsNone(self._usable(self.user_sales_a, {**PERIOD, "grade": "a"}))
        # an edited "own customers" rule is not understood: live figures
        self.env.ref("crm_customer_template.crm_customer_followup_rule_own").domain_force = (
            "[('customer_id.user_id', '=', user.id), ('followup_date', '!=', False)]")
        self.assertIsNone(self._usable(self.user_sales_a))
        self.assertIsNone(self._usable(self.user_manager, tz="UTC"))
        self.assertIsNone(self.Rollup.with_context(crm_kpi_live=True).with_user(
            self.user_manager)._usable(self.Kpi.with_user(self.user_manager)._normalize_filter(PERIOD)))

    def test_clean_aggregates_equal_live(self):
        self.env.cr.execute("SELECT count(*) FROM crm_customer_kpi_rollup")
        self.assertGreater(self.env.cr.fetchone()[0], 0)
        self.assertSameFigures()

    def test_changes_are_seen_before_and_after_the_refresh(self):
        """Writes mark their days; the service computes those live until the
        cron aggregates them again, and the figures never differ."""
        Followup = self.env["crm.customer.followup"]
        # a follow-up inside the period, a grade change, an archived
        # customer, a need closed, a deleted feedback
        Followup.create({
            "customer_id": self.c["c2"].id, "followup_date": dt("2026-03-01 02:00:00"),
            "method_id": self.m_phone.id, "content": "补录", "user_id": self.user_sales_a.id,
        })
        self.c["c3"].grade = "a"
        self.c["c9"].active = False
        # a lost customer archived: out of the churn's base
        self.c["c7"].active = False
        # an archived customer of the cohort with moves: the funnel leaves it out
        self.c["c1"].active = False
        self.needs[1].state = "done"
        self.env["crm.customer.feedback"].search([("customer_id", "=", self.c["c6"].id)],
                                                 limit=1).unlink()
        self.env.flush_all()
        dirty = self._usable(self.user_manager)
        self.assertTrue(dirty["crm_customer_followup"])
        self.assertTrue(dirty["crm_customer"])
        self.assertSameFigures()
        kpi = self.Kpi.with_user(self.user_manager)
        with freeze_time("2026-04-10 00:00:00"):
            funnel = {stage["key"]: stage["value"] for stage in kpi.get_kpis(PERIOD)["funnel"]}
        # cohort c2, c3, c5 (c1 archived): c2 and c5 reached intent, c5 won
        self.assertEqual(funnel, {"potential": 3, "intent": 2, "won": 1})
        self.assertGreater(self.Rollup._refresh(), 0)
        self.assertEqual(self._usable(self.user_manager), {})
        self.assertSameFigures()

    def test_ledger_figures_follow_moves_owners_and_backdating(self):
        """Won, lost, churn, days to won, won per salesperson and the funnel
        from the aggregates: a customer won twice in the period, lost then
        reactivated, reassigned after it was won, and a move inserted
        before the others in SQL."""
        c6 = self.c["c6"]  # intent since 2025-08-01, owner B
        for when, action in (
            ("2026-01-12 00:00:00", lambda: c6.action_set_won("HT-c6", dt("2026-01-12 00:00:00").date())),
            ("2026-02-05 00:00:00", lambda: c6.action_set_lost(self.reason_competitor.id)),
            ("2026-02-20 00:00:00", lambda: c6.action_reactivate_intent()),
            ("2026-03-05 00:00:00", lambda: c6.action_set_won("HT-c6b", dt("2026-03-05 00:00:00").date())),
        ):
            with freeze_time(when):
                action()
        self.Rollup._refresh()
        self.assertSameFigures()
        kpi = self.Kpi.with_user(self.user_manager)
        with freeze_time("2026-04-10 00:00:00"):
            tiles = kpi.get_kpis(PERIOD)["tiles"]
        # c1, c5 and c6 (twice, counted once)
        self.assertEqual(tiles["won_customers"]["value"], 3)
        # the salesperson table follows a reassignment of a won customer
        c6.user_id = self.user_sales_a
        self.env.flush_all()
        self.assertTrue(self._usable(self.user_manager)["crm_customer_ledger"])
        self.assertSameFigures()
        # a move dated before c6's first won: its later moves change too
        self.env.cr.execute(
            """INSERT INTO crm_customer_ledger (customer_id, company_id, kind, state_from,
                   state_to, date, customer_create_date)
               SELECT id, company_id, 'state', 'intent', 'won', '2026-01-02 00:00:00', create_date
                 FROM crm_customer WHERE id = %s""",
            [c6.id],
        )
        self.env["crm.customer.ledger"]._crm_update_next_moves(c6.ids)
        self.assertSameFigures()
        self.Rollup._refresh()
        self.assertEqual(self._usable(self.user_manager), {})
        self.assertSameFigures()
        # the aggregates of the ledger are read
        self.env.cr.execute("UPDATE crm_customer_kpi_rollup SET n = n + 1 WHERE fact = 'won'")
        aggregated, live = self._both(self.user_manager, PERIOD)
        self.assertNotEqual(aggregated, live)

    def test_salesperson_figures_from_their_rows(self):
        """A salesperson's figures (their customers' rows, the pool's
        customers they see live) equal the live ones, before and after a
        reassignment, a return to the pool and a refresh; so do the
        manager's with a salesperson filter."""
        pool = self.env["crm.customer.pool"].create({
            "name": "公海", "member_ids": [Command.link(self.user_sales_a.id)],
        })
        self.c["c8"].pool_id = pool
        self.c["c8"].action_pool_release()
        self.env.flush_all()
        self.Rollup._refresh()
        sales_a = self.Kpi.with_user(self.user_sales_a)
        with freeze_time("2026-04-10 00:00:00"):
            self.assertIn(self.c["c8"], self.env["crm.customer"].with_user(self.user_sales_a).search([]))
            flt = sales_a._normalize_filter(PERIOD)
            self.Rollup.with_user(self.user_sales_a)._usable(flt)
            self.assertEqual(flt["grain"], ("user_id", self.user_sales_a.id))
            self.assertTrue(flt["owner_rest"]["crm.customer"])
            self.assertFalse(flt["owner_rest"]["crm.customer.followup"])
        by_b = [{**filters, "user_id": self.user_sales_b.id} for filters in FILTERS]
        by_a = [{**filters, "user_id": self.user_sales_a.id} for filters in FILTERS]
        for user, filters in [(self.user_sales_a, FILTERS), (self.user_sales_b, FILTERS),
                              (self.user_manager, by_b), (self.user_sales_a, by_a)]:
            self.assertSameFigures(user, filters)
        # a reassignment marks the customer's children
        self.c["c6"].user_id = self.user_sales_a
        self.env.flush_all()
        dirty = self._usable(self.user_sales_a)
        self.assertTrue(dirty["crm_customer_followup"])
        self.assertTrue(dirty["crm_customer_feedback"])
        self.assertTrue(dirty["crm_customer_ledger"])
        # the rows of all customers of the follow-ups, needs and feedback do
        # not depend on the owner: the manager still reads them
        manager_dirty = self._usable(self.user_manager)
        self.assertFalse(manager_dirty.get("crm_customer_followup"))
        self.assertFalse(manager_dirty.get("crm_customer_feedback"))
        self.assertTrue(manager_dirty["crm_customer_ledger"])
        for user in (self.user_sales_a, self.user_sales_b, self.user_manager):
            self.assertSameFigures(user)
        self.Rollup._refresh()
        for user, filters in [(self.user_sales_a, FILTERS), (self.user_sales_b, FILTERS),
                              (self.user_manager, by_b)]:
            self.assertSameFigures(user, filters)
        # a team leader: own rows, the team's records live
        leader = new_test_user(
            self.env, login="rep_leader", tz="Asia/Shanghai",
            groups="crm_customer_template.group_crm_customer_team_leader",
        )
        team = self.env["crm.team"].create({
            "name": "华东", "user_id": leader.id,
            "member_ids": [Command.link(self.user_sales_b.id)],
        })
        (self.c["c6"] | self.c["c7"] | self.c["c9"]).team_id = team
        self.c["c9"].user_id = leader
        self.env.flush_all()
        self.Rollup._refresh()
        flt = self.Kpi.with_user(leader)._normalize_filter(PERIOD)
        self.Rollup.with_user(leader)._usable(flt)
        self.assertTrue(flt["owner_rest"]["crm.customer.followup"])
        self.assertSameFigures(leader)
        # the salesperson's own rows are read, for every fact of the answer
        for fact in ("new", "cust_grade", "idle", "followup", "need", "feedback", "won", "lost",
                     "funnel_intent", "funnel_won"):
            self.env.cr.execute(
                """UPDATE crm_customer_kpi_rollup SET n = n + 7
                    WHERE fact = %s AND g = 'user_id' AND v = %s""",
                [fact, str(self.user_sales_a.id)],
            )
            self.assertGreater(self.env.cr.rowcount, 0, fact)
            filters = {"preset": "custom", "date_from": "2025-01-01", "date_to": "2026-12-31"}
            aggregated, live = self._both(self.user_sales_a, filters)
            self.assertNotEqual(aggregated, live, f"the rows of {fact} are not read")
            self.env.cr.execute(
                """UPDATE crm_customer_kpi_rollup SET n = n - 7
                    WHERE fact = %s AND g = 'user_id' AND v = %s""",
                [fact, str(self.user_sales_a.id)],
            )
        self.assertSameFigures(self.user_sales_a)

    def test_one_dimension_from_its_rows(self):
        """A manager filtering one dimension (team, grade, industry, source)
        reads that value's rows, equal to the live figures, before and after
        the customers' dimensions change and a refresh."""
        team = self.env["crm.team"].create({"name": "华南"})
        (self.c["c1"] | self.c["c5"] | self.c["c6"]).team_id = team
        self.env.flush_all()
        self.Rollup._refresh()

        def by_dimension():
            return [
                {**filters, key: value}
                for key, value in (("team_id", team.id), ("grade", "c"),
                                   ("industry_id", self.industry_it.id),
                                   ("source_id", self.source_show.id))
                for filters in (PERIOD, FILTERS[1])
            ]

        self.assertSameFigures(self.user_manager, by_dimension())
        # the dimensions move (rows per dimension of the children stale)
        self.c["c6"].industry_id = self.industry_mfg
        self.c["c1"].team_id = False
        self.c["c8"].source_id = self.source_web
        self.env.flush_all()
        self.assertTrue(self._usable(
            self.user_manager, {**PERIOD, "industry_id": self.industry_it.id})["crm_customer_followup"])
        # the rows of all customers, and of the other dimensions, stay clean
        self.assertFalse(self._usable(self.user_manager).get("crm_customer_followup"))
        self.assertFalse(self._usable(self.user_manager, {**PERIOD, "grade": "c"}).get(
            "crm_customer_followup"))
        self.assertFalse(self._usable(self.user_sales_a).get("crm_customer_followup"))
        self.assertSameFigures(self.user_manager, by_dimension())
        self.assertSameFigures(self.user_sales_a)
        self.Rollup._refresh()
        self.assertSameFigures(self.user_manager, by_dimension())
        # a grade and an owner change (the team filter's customers too)
        self.c["c5"].grade = "c"
        self.c["c6"].user_id = self.user_sales_a
        self.env.flush_all()
        self.assertSameFigures(self.user_manager, by_dimension())
        self.assertSameFigures(self.user_sales_a)
        self.Rollup._refresh()
        self.assertSameFigures(self.user_manager, by_dimension())
        self.assertSameFigures(self.user_sales_a)
        # a dimension's rows are read
        self.env.cr.execute(
            """UPDATE crm_customer_kpi_rollup SET n = n + 3
                WHERE fact = 'followup' AND g = 'industry_id' AND v = %s""",
            [str(self.industry_it.id)],
        )
        aggregated, live = self._both(self.user_manager, {**FILTERS[1], "industry_id": self.industry_it.id})
        self.assertNotEqual(aggregated, live)

    def test_refresh_of_many_days(self):
        """Beyond MAX_DIRTY_DAYS dirty days (a bulk load), the refresh
        aggregates the fact's whole table again: wrong rows are replaced,
        for all customers and per dimension (a marker of an earlier version,
        ":grains", standing for every dimension)."""
        self.env.cr.execute("UPDATE crm_customer_kpi_rollup SET n = n + 5 WHERE fact = 'followup'")
        self.env.cr.execute(
            "UPDATE crm_customer_kpi_rollup SET n = n + 5 WHERE fact = 'feedback' AND g IS NOT NULL")
        self.env.cr.execute(
            """INSERT INTO crm_customer_kpi_dirty (tbl, company_id, day)
               SELECT t.tbl, %s, d::date
                 FROM generate_series('2024-01-01'::date, '2024-04-30'::date, '1 day') d,
                      (VALUES ('crm_customer_followup'), ('crm_customer_feedback:grains')) t(tbl)""",
            [self.env.company.id],
        )
        self.assertGreater(self.Rollup._refresh(), 2 * 62)
        self.assertEqual(self._usable(self.user_manager), {})
        for user in (self.user_manager, self.user_sales_a, self.user_sales_b):
            self.assertSameFigures(user)

    def test_code_newer_than_the_aggregates(self):
        """Code updated without the module upgrade: live figures, until the
        cron builds the aggregates of this version."""
        param = self.env["ir.config_parameter"].sudo()
        param.set_param("crm_customer_template_reports.kpi_rollup_built_facts", "2:new,won")
        self.assertIsNone(self._usable(self.user_manager))
        self.Rollup._cron_refresh()
        self.assertEqual(self._usable(self.user_manager), {})
        self.assertSameFigures()

    def test_new_customers_figure_follows_a_write(self):
        """A customer created in the period counts at once (its day is
        computed live), and still once aggregated."""
        kpi = self.Kpi.with_user(self.user_manager)
        with freeze_time("2026-04-10 00:00:00"):
            before = kpi.get_kpis(PERIOD)["tiles"]["new_customers"]["value"]
        customer = self.env["crm.customer"].create({
            "name": "新客户", "customer_kind": "person", "contact_name": "联系人",
            "phone": "13900001111", "user_id": self.user_sales_a.id,
            "industry_id": self.industry_it.id,
        })
        self._set_dates("crm_customer", {customer.id: dt("2026-02-03 01:00:00")})
        with freeze_time("2026-04-10 00:00:00"):
            self.assertEqual(kpi.get_kpis(PERIOD)["tiles"]["new_customers"]["value"], before + 1)
            self.Rollup._refresh()
            self.assertEqual(kpi.get_kpis(PERIOD)["tiles"]["new_customers"]["value"], before + 1)

    def test_time_zone_change_and_rebuild(self):
        """The setting changes the aggregates' days: built for UTC, they
        answer UTC callers with the live figures."""
        settings = self.env["res.config.settings"].create({"crm_customer_kpi_rollup_tz": "UTC"})
        settings.execute()
        # the cron rebuilds them; until then they still answer Asia/Shanghai
        self.assertEqual(self.Rollup._built_tz(), "Asia/Shanghai")
        self.assertEqual(self._usable(self.user_manager), {})
        self.Rollup._cron_refresh()
        self.assertEqual(self.Rollup._built_tz(), "UTC")
        # (the days of c3, created 2026-03-31 15:59:59 UTC, differ between
        # the two time zones: without the rebuild the figures would differ)
        self.assertIsNone(self._usable(self.user_manager))
        self.assertEqual(self._usable(self.user_manager, tz="UTC"), {})
        kpi = self.Kpi.with_user(self.user_manager).with_context(tz="UTC")
        with freeze_time("2026-04-10 00:00:00"):
            aggregated = kpi.get_kpis(PERIOD)
            live = kpi.with_context(crm_kpi_live=True).get_kpis(PERIOD)
        self.assertEqual(json.dumps(aggregated, sort_keys=True, default=str),
                         json.dumps(live, sort_keys=True, default=str))

    def _dirty_count(self):
        self.env.flush_all()
        self.env.cr.execute("SELECT count(*) FROM crm_customer_kpi_dirty")
        return self.env.cr.fetchone()[0]

    def test_the_aggregates_are_read(self):
        """A wrong aggregate shows in the answer: the service reads them
        (and the equality tests above compare two different paths)."""
        self.env.cr.execute(
            "UPDATE crm_customer_kpi_rollup SET n = n + 1000 WHERE fact = 'new'"
        )
        aggregated, live = self._both(self.user_manager, PERIOD)
        self.assertNotEqual(aggregated, live)

    def test_only_counted_columns_mark_days(self):
        self.Rollup._refresh()
        self.assertEqual(self._dirty_count(), 0)
        self.c["c1"].contact_name = "新联系人"
        self.assertEqual(self._dirty_count(), 0)
        self.c["c1"].grade = "c"
        self.assertGreater(self._dirty_count(), 0)

    def test_no_read_right_no_aggregates(self):
        """Record rules are not all: a user without the read right on a
        model of the figures never gets them from the aggregates."""
        outsider = new_test_user(self.env, login="rep_outsider", groups="base.group_user",
                                 tz="Asia/Shanghai")
        self.assertIsNone(self._usable(outsider))

    def test_merge_across_owners(self):
        """A merge moves the duplicate's follow-ups, needs, feedback and
        moves to a customer of another salesperson: both salespeople's
        figures follow, before and after the refresh."""
        keep, drop = self.c["c1"], self.c["c6"]  # owners A and B
        self.env["crm.customer.need"].create({
            "customer_id": drop.id, "need_type_id": self.need_type.id,
            "description": "合并前的需求", "priority": "high", "user_id": self.user_sales_b.id,
        })
        self.Rollup._refresh()
        wizard = Form(self.env["crm.customer.merge"].with_context(
            default_customer_ids=(keep | drop).ids))  # fmt: skip
        wizard.target_id = keep
        wizard.save().action_merge()
        self.env.flush_all()
        for user in (self.user_sales_a, self.user_sales_b, self.user_manager):
            self.assertSameFigures(user)
        self.Rollup._refresh()
        for user in (self.user_sales_a, self.user_sales_b, self.user_manager):
            self.assertSameFigures(user)

    def test_merge_keeps_the_ledger_copies(self):
        """A merge re-attaches the duplicate's moves in SQL: their copy of
        the kept customer's creation and their order follow."""
        keep, drop = self.c["c6"], self.c["c9"]
        drop.action_set_intent()
        with freeze_time("2026-02-01 00:00:00"):
            drop.action_set_lost(self.reason_price.id)
        wizard = Form(self.env["crm.customer.merge"].with_context(
            default_customer_ids=(keep | drop).ids))  # fmt: skip
        wizard.target_id = keep
        wizard.save().action_merge()
        self.env.flush_all()
        self.env.cr.execute(
            """SELECT l.customer_create_date = c.create_date,
                      l.next_state_date IS NOT DISTINCT FROM
                          LEAD(l.date) OVER (ORDER BY l.date, l.id)
                 FROM crm_customer_ledger l JOIN crm_customer c ON c.id = l.customer_id
                WHERE l.customer_id = %s AND l.kind = 'state'
                ORDER BY l.date, l.id""",
            [keep.id],
        )
        rows = self.env.cr.fetchall()
        self.assertGreaterEqual(len(rows), 3)
        self.assertEqual(rows, [(True, True)] * len(rows))
        self.assertSameFigures()
        self.Rollup._refresh()
        self.assertSameFigures()
