# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Daily aggregates behind the KPI service.

At a million customers a year of follow-ups is millions of rows: grouping
them for every dashboard load costs seconds. The figures that add up day by
day (new customers, follow-ups and their gaps, needs, feedback, the customer
base by grade/industry/source/status, customers without follow-up) are kept
per local day in ``crm_customer_kpi_rollup``: for all customers, and per
value of each dimension the dashboard filters on (the customer's current
salesperson, team, grade, industry, source; columns ``g`` and ``v``). They
answer a caller who may read every record of the filtered companies (all
customers' rows, or one value's rows when the filter names one dimension),
and a salesperson whose record rules are "my customers" (their rows; what
other rules let them see besides, e.g. a pool's customers, is computed
live); see :meth:`_usable`.

Figures of the status ledger count distinct customers, which do not add up
day by day. Each move carries as keys what decides whether it counts: the
day of the customer's previous move to the same status (customers won in a
period are its won moves whose previous won move is before it), the day of
its next status move (lost at a month start), or, for the funnel, only the
customer's first move to a stage is kept, by the customer's creation day.
Since a move's keys depend on the customer's earlier moves, a statement on
the ledger marks the days of the customer's moves at or after the earliest
one it touches. A change of a customer's dimension marks the days of its
follow-ups, needs, feedback and moves for the rows per dimension only
(``<table>:grains`` markers, which a reader of all customers' rows
ignores); a change of its owner also marks its moves for all rows (won per
salesperson), and so does archiving (the funnel leaves archived customers
out).

Exactness does not depend on the aggregates being fresh. Every statement that
inserts or deletes rows of the five tables, or changes a column a figure
counts, marks the local days it touches (old and new values) in
``crm_customer_kpi_dirty`` (statement-level triggers with transition tables:
any write path, ORM or SQL, is seen; markers are only inserted, so concurrent
writers never wait on each other). The KPI service reads the aggregates of
clean days and computes the dirty days and partial days live, from the same
query the live path uses; a cron re-aggregates the dirty days every few
minutes. Days are local days of one time zone (Settings, "Dashboard time
zone"; at install the time zone most users have); a caller in another time
zone gets live figures.
"""

import logging
from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import api, models
from odoo.osv import expression
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval
from odoo.tools.sql import table_exists

_logger = logging.getLogger(__name__)

ROLLUP_TABLE = "crm_customer_kpi_rollup"
# the wanted time zone (Settings), and the one the aggregates and the
# marking triggers were built with
TZ_PARAM = "crm_customer_template_reports.kpi_rollup_tz"
BUILT_TZ_PARAM = "crm_customer_template_reports.kpi_rollup_built_tz"
# the facts the aggregates were built with (an upgrade adding one rebuilds)
BUILT_FACTS_PARAM = "crm_customer_template_reports.kpi_rollup_built_facts"
# rows per value of the customer's dimensions since version 3
ROLLUP_VERSION = "3"
# beyond this many dirty days in a range, the range is computed live
MAX_DIRTY_DAYS = 62
# models whose record rules must reduce to "these companies" for the rollup
ROLLUP_MODELS = ("crm.customer", "crm.customer.followup", "crm.customer.need",
                 "crm.customer.feedback", "crm.customer.ledger")
# the customer fields the aggregates are also kept by, one at a time (the
# dashboard's filters): rows of all customers have g NULL, the others g = the
# field and v = its value ('' when empty)
GRAINS = ("user_id", "team_id", "grade", "industry_id", "source_id")
# markers "<table>:<dimension>": only that dimension's rows of those days
# are stale (a customer's team, grade... changed)
GRAIN_SEP = ":"
# the path to the customer's owner from each of the models
OWNER_PATHS = {"crm.customer": "user_id"}
CHILD_OWNER_PATH = "customer_id.user_id"


def _col(name):
    return lambda alias, tz=None: SQL.identifier(alias, name)


def _idle_date(alias, tz=None):
    return SQL("coalesce(%s, %s)", SQL.identifier(alias, "last_followup_date"),
               SQL.identifier(alias, "create_date"))


def _compliant(alias, tz=None):
    first, created = SQL.identifier(alias, "first_followup_date"), SQL.identifier(alias, "create_date")
    return SQL("%s >= %s AND %s <= %s + interval '24 hours'", first, created, first, created)


def _need_days(alias, tz=None):
    return SQL("extract(epoch FROM %s - %s) / 86400.0", SQL.identifier(alias, "date_done"),
               SQL.identifier(alias, "create_date"))


def _local_date(value, tz):
    """SQL: the local date in ``tz`` of the UTC timestamp ``value``."""
    return SQL("((%s) AT TIME ZONE 'UTC' AT TIME ZONE %s)::date", value, tz)


def _local_day(value, tz):
    """SQL: the local day (text, YYYY-MM-DD) of the UTC timestamp ``value``."""
    return SQL("%s::varchar", _local_date(value, tz))


def _customer_column(alias, fname):
    """SQL: the column ``fname`` of the customer of the record ``alias``."""
    return SQL("(SELECT c.%s FROM crm_customer c WHERE c.id = %s)",
               SQL.identifier(fname), SQL.identifier(alias, "customer_id"))


def _earlier_moves(alias, states):
    """SQL: the customer's status moves to ``states`` before the move
    ``alias`` (by date, then id)."""
    return SQL(
        """crm_customer_ledger p
            WHERE p.company_id = %s AND p.kind = 'state' AND p.customer_id = %s
              AND p.state_to IN %s AND (p.date, p.id) < (%s, %s)""",
        SQL.identifier(alias, "company_id"), SQL.identifier(alias, "customer_id"), states,
        SQL.identifier(alias, "date"), SQL.identifier(alias, "id"),
    )


def _previous_day(state):
    """Key: the local day of the customer's previous move to ``state`` (None
    for its first). Customers moved to a state within a period are its moves
    whose previous one is before the period: a sum, where the live query
    counts distinct customers."""
    def key(alias, tz):
        return _local_day(SQL("SELECT max(p.date) FROM %s", _earlier_moves(alias, (state,))), tz)
    return key


def _next_day(alias, tz):
    return _local_day(SQL.identifier(alias, "next_state_date"), tz)


def _move_day(alias, tz):
    return _local_day(SQL.identifier(alias, "date"), tz)


def _owner(alias, tz=None):
    return _customer_column(alias, "user_id")


def _days_from_creation(alias, tz=None):
    return SQL("extract(epoch FROM %s - %s) / 86400.0", SQL.identifier(alias, "date"),
               SQL.identifier(alias, "customer_create_date"))


def _customer_active(alias):
    return SQL("EXISTS (SELECT 1 FROM crm_customer c WHERE c.id = %s AND c.active)",
               SQL.identifier(alias, "customer_id"))


def _first_move(states):
    """Condition: the move is the customer's first one to ``states``, and
    the customer is not archived (the funnel's cohort)."""
    def where(alias):
        return SQL("NOT EXISTS (SELECT 1 FROM %s) AND %s",
                   _earlier_moves(alias, states), _customer_active(alias))
    return where


STATE_MOVE = ("kind", "=", "state")
FUNNEL_STATES = {"funnel_intent": ("intent", "won"), "funnel_won": ("won",)}

# fact: model, date expression, keys (texts), summed value (s), counted
# condition (m), extra domain and SQL condition (where). The live query
# (record rules applied) and the aggregation into the rollup use the same
# expressions.
FACTS = {
    "new": {"model": "crm.customer", "date": _col("create_date"), "keys": (_col("user_id"),),
            "m": _compliant},
    "cust_grade": {"model": "crm.customer", "date": _col("create_date"), "keys": (_col("grade"),)},
    "cust_industry": {"model": "crm.customer", "date": _col("create_date"),
                      "keys": (_col("industry_id"),)},
    "cust_source": {"model": "crm.customer", "date": _col("create_date"),
                    "keys": (_col("source_id"),)},
    "cust_state": {"model": "crm.customer", "date": _col("create_date"), "keys": (_col("state"),)},
    "idle": {"model": "crm.customer", "date": _idle_date, "domain": [("state", "!=", "lost")]},
    "followup": {"model": "crm.customer.followup", "date": _col("followup_date"),
                 "keys": (_col("user_id"), _col("method_id")), "s": _col("gap_days"),
                 "m": lambda alias, tz=None: SQL("%s IS NOT NULL", SQL.identifier(alias, "gap_days"))},
    "need": {"model": "crm.customer.need", "date": _col("create_date"),
             "keys": (_col("state"), _col("priority"))},
    "need_done": {"model": "crm.customer.need", "date": _col("date_done"), "s": _need_days},
    "feedback": {"model": "crm.customer.feedback", "date": _col("feedback_date"),
                 "keys": (_col("satisfaction"), _col("feedback_type_id"))},
    # the ledger: moves to won (previous won move, customer's owner; days
    # from the customer's creation), moves to lost (previous lost move), and
    # the funnel: each cohort customer's first move to intent-or-won and to
    # won, by the customer's creation
    "won": {"model": "crm.customer.ledger", "date": _col("date"),
            "domain": [STATE_MOVE, ("state_to", "=", "won")],
            "keys": (_previous_day("won"), _owner), "s": _days_from_creation},
    "lost": {"model": "crm.customer.ledger", "date": _col("date"),
             "domain": [STATE_MOVE, ("state_to", "=", "lost")],
             "keys": (_previous_day("lost"),)},
    # the lost intervals of the customers not archived (the churn's base
    # counts those only): until the next status move
    "lost_active": {"model": "crm.customer.ledger", "date": _col("date"),
                    "domain": [STATE_MOVE, ("state_to", "=", "lost")],
                    "where": _customer_active, "keys": (_next_day,)},
    **{
        fact: {"model": "crm.customer.ledger", "date": _col("customer_create_date"),
               "domain": [STATE_MOVE, ("state_to", "in", list(states))],
               "where": _first_move(states), "keys": (_move_day,)}
        for fact, states in FUNNEL_STATES.items()
    },
}

# The marked tables: their dated columns (the local days to mark), the
# columns a fact counts (an update of other columns marks nothing), the
# facts of other tables that read some of their columns ("children": table,
# link column there, columns read; the customer's owner is the salesperson of
# its children's rows), and the rows whose facts depend on a row ("siblings":
# the customer's moves at or after it, whose previous and first moves it may
# be).
MARKED_TABLES = {
    "crm_customer": {
        "dates": (_col("create_date"), _idle_date),
        "columns": ("create_date", "last_followup_date", "first_followup_date", "active", "state",
                    "grade", "industry_id", "source_id", "user_id", "company_id"),
        # columns only the rows per that dimension read
        "grain_columns": ("team_id",),
        # (table, link, columns, None or the dimension whose rows only change)
        "children": (
            *((child, "customer_id", (grain,), grain)
              for child in ("crm_customer_followup", "crm_customer_need", "crm_customer_feedback",
                            "crm_customer_ledger")
              for grain in GRAINS),
            # won per salesperson (all customers' rows too), the funnel
            ("crm_customer_ledger", "customer_id", ("user_id", "active"), None),
        ),
    },
    "crm_customer_followup": {
        "dates": (_col("followup_date"),),
        "columns": ("followup_date", "user_id", "method_id", "gap_days", "company_id",
                    "customer_id"),
    },
    "crm_customer_need": {
        "dates": (_col("create_date"), _col("date_done")),
        "columns": ("create_date", "date_done", "state", "priority", "company_id", "customer_id"),
    },
    "crm_customer_feedback": {
        "dates": (_col("feedback_date"),),
        "columns": ("feedback_date", "satisfaction", "feedback_type_id", "company_id",
                    "customer_id"),
    },
    "crm_customer_ledger": {
        "dates": (_col("date"), _col("customer_create_date")),
        "columns": ("date", "kind", "state_to", "customer_id", "customer_create_date",
                    "next_state_date", "company_id"),
        "siblings": ("customer_id", "date"),
    },
}
TRIGGER_EVENTS = {
    "insert": "AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows",
    "update": "AFTER UPDATE ON %s REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "delete": "AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows",
}


class CrmCustomerKpiRollup(models.AbstractModel):
    _name = "crm.customer.kpi.rollup"
    _description = "Customer KPI Daily Aggregates"

    # ------------------------------------------------------------
    # INSTALLATION
    # ------------------------------------------------------------

    def init(self):
        cr = self.env.cr
        created = not table_exists(cr, ROLLUP_TABLE)
        cr.execute(SQL(
            """CREATE TABLE IF NOT EXISTS crm_customer_kpi_rollup (
                   fact varchar NOT NULL,
                   company_id integer NOT NULL,
                   day date NOT NULL,
                   k1 varchar,
                   k2 varchar,
                   n bigint NOT NULL,
                   s numeric,
                   m bigint NOT NULL)"""
        ))
        # g, v: the dimension (see GRAINS) and its value of the rows per
        # dimension, NULL on the rows of all customers
        cr.execute(SQL("ALTER TABLE crm_customer_kpi_rollup ADD COLUMN IF NOT EXISTS g varchar"))
        cr.execute(SQL("ALTER TABLE crm_customer_kpi_rollup ADD COLUMN IF NOT EXISTS v varchar"))
        cr.execute(SQL("DROP INDEX IF EXISTS crm_customer_kpi_rollup_fact_index"))
        cr.execute(SQL("DROP INDEX IF EXISTS crm_customer_kpi_rollup_owner_index"))
        cr.execute(SQL("ALTER TABLE crm_customer_kpi_rollup DROP COLUMN IF EXISTS u"))
        cr.execute(SQL(
            """CREATE INDEX IF NOT EXISTS crm_customer_kpi_rollup_grain_index
                   ON crm_customer_kpi_rollup (fact, company_id, g, v, day)
                   INCLUDE (k1, k2, n, s, m)"""
        ))
        cr.execute(SQL(
            """CREATE TABLE IF NOT EXISTS crm_customer_kpi_dirty (
                   tbl varchar NOT NULL,
                   company_id integer NOT NULL,
                   day date NOT NULL)"""
        ))
        cr.execute(SQL(
            """CREATE INDEX IF NOT EXISTS crm_customer_kpi_dirty_index
                   ON crm_customer_kpi_dirty (company_id, tbl, day)"""
        ))
        param = self.env["ir.config_parameter"].sudo()
        if created and not param.get_param(TZ_PARAM):
            param.set_param(TZ_PARAM, self._default_tz())
        if (created or not param.get_param(BUILT_TZ_PARAM)
                or param.get_param(BUILT_FACTS_PARAM) != self._built_facts()):
            self._rebuild()
        else:
            # an upgrade: the same days, the functions' latest code
            self._install_triggers(self._built_tz())

    @api.model
    def _mark_sql(self, table, rows, tz, grain=None, siblings=True):
        """INSERT the markers of the local days of ``rows`` (SQL of a row set
        of ``table``, e.g. a transition table), and of their siblings when
        the table's facts depend on them (unless ``siblings`` is false:
        ``rows`` hold them already). ``grain``: only their rows per that
        dimension change (marker ``<table>:<grain>``)."""
        spec = MARKED_TABLES[table]
        marker = f"{table}{GRAIN_SEP}{grain}" if grain else table
        day = _local_date(SQL("v.d"), tz)
        dates = SQL(", ").join(SQL("(%s)", date("r")) for date in spec["dates"])

        def insert(source):
            return SQL(
                """INSERT INTO crm_customer_kpi_dirty (tbl, company_id, day)
                   SELECT DISTINCT %s, r.company_id, %s
                     FROM (%s) r, LATERAL (VALUES %s) v(d)
                    WHERE v.d IS NOT NULL AND r.company_id IS NOT NULL""",
                marker, day, source, dates,
            )

        statements = [insert(rows)]
        if siblings and spec.get("siblings"):
            link, order = (SQL.identifier(column) for column in spec["siblings"])
            statements.append(insert(SQL(
                """SELECT s.* FROM %s s
                     JOIN (SELECT x.%s AS link, min(x.%s) AS since FROM (%s) x GROUP BY 1) m
                       ON s.%s = m.link AND s.%s >= m.since""",
                SQL.identifier(table), link, order, rows, link, order,
            )))
        return SQL("; ").join(statements)

    @api.model
    def _install_triggers(self, tz):
        """Create or replace the marking functions for ``tz`` (no lock on the
        tables), and their triggers when missing. An update marks only the
        rows whose counted columns change (old and new days), and the rows of
        other tables reading a changed column."""
        cr = self.env.cr
        for table, spec in MARKED_TABLES.items():

            def changed(side, columns):
                """The ``side`` (o: old, n: new) of the updated rows whose
                ``columns`` change."""
                return SQL(
                    """SELECT %s.* FROM old_rows o JOIN new_rows n ON n.id = o.id
                        WHERE (%s) IS DISTINCT FROM (%s)""",
                    SQL.identifier(side),
                    SQL(", ").join(SQL.identifier("o", c) for c in columns),
                    SQL(", ").join(SQL.identifier("n", c) for c in columns),
                )

            update = [self._mark_sql(table, changed("o", spec["columns"]), tz),
                      self._mark_sql(table, changed("n", spec["columns"]), tz)]
            others = [self._mark_sql(table, changed("n", (column,)), tz, column)
                      for column in spec.get("grain_columns", ())]
            for child, link, columns, grain in spec.get("children", ()):
                # all the rows of the changed customers: their siblings too
                others.append(self._mark_sql(
                    child,
                    SQL("SELECT * FROM %s WHERE %s IN (SELECT id FROM (%s) x)",
                        SQL.identifier(child), SQL.identifier(link), changed("n", columns)),
                    tz,
                    grain,
                    siblings=False,
                ))
            if others:
                # most updates change none of these columns: one check
                watched = sorted({*spec.get("grain_columns", ()),
                                  *(c for _t, _l, cols, _g in spec.get("children", ()) for c in cols)})
                update.append(SQL("IF EXISTS (%s) THEN %s; END IF",
                                  changed("n", watched), SQL("; ").join(others)))
            bodies = {
                "insert": self._mark_sql(table, SQL("SELECT * FROM new_rows"), tz),
                "update": SQL("; ").join(update),
                "delete": self._mark_sql(table, SQL("SELECT * FROM old_rows"), tz),
            }
            for event, body in bodies.items():
                function = f"{table}_kpi_mark_{event}"
                cr.execute(SQL(
                    """CREATE OR REPLACE FUNCTION %s() RETURNS trigger LANGUAGE plpgsql
                       AS $body$ BEGIN %s; RETURN NULL; END $body$""",
                    SQL.identifier(function), body,
                ))
                cr.execute(SQL(
                    """SELECT 1 FROM pg_trigger WHERE tgname = %s AND tgrelid = %s::regclass
                          AND tgfoid = %s::regproc""",
                    function, table, function,
                ))
                if not cr.fetchone():
                    cr.execute(SQL("DROP TRIGGER IF EXISTS %s ON %s",
                                   SQL.identifier(function), SQL.identifier(table)))
                    cr.execute(SQL(
                        "CREATE TRIGGER %s %s FOR EACH STATEMENT EXECUTE FUNCTION %s()",
                        SQL.identifier(function),
                        SQL(TRIGGER_EVENTS[event], SQL.identifier(table)),
                        SQL.identifier(function),
                    ))

    @api.model
    def _default_tz(self):
        """The time zone most internal users work in (UTC when none is set)."""
        self.env.cr.execute(SQL(
            """SELECT p.tz FROM res_users u JOIN res_partner p ON p.id = u.partner_id
                WHERE u.active AND NOT u.share AND p.tz IS NOT NULL
                GROUP BY p.tz ORDER BY count(*) DESC, p.tz LIMIT 1"""
        ))
        row = self.env.cr.fetchone()
        return row[0] if row and row[0] in pytz.all_timezones_set else "UTC"

    @api.model
    def _tz(self):
        """The wanted time zone of the aggregates (Settings)."""
        name = self.env["ir.config_parameter"].sudo().get_param(TZ_PARAM) or "UTC"
        return name if name in pytz.all_timezones_set else "UTC"

    @api.model
    def _built_tz(self):
        """The time zone the aggregates and triggers were built with."""
        name = self.env["ir.config_parameter"].sudo().get_param(BUILT_TZ_PARAM) or "UTC"
        return name if name in pytz.all_timezones_set else "UTC"

    # ------------------------------------------------------------
    # MAINTENANCE
    # ------------------------------------------------------------

    @api.model
    def _rebuild(self):
        """Aggregate every day again in the wanted time zone (install, time
        zone change, bulk loads)."""
        self.env.flush_all()
        cr = self.env.cr
        tz = self._tz()
        cr.execute(SQL("SELECT 1 FROM pg_timezone_names WHERE name = %s", tz))
        if not cr.fetchone():  # a name PostgreSQL does not know
            tz = "UTC"
        self._install_triggers(tz)
        cr.execute(SQL("DELETE FROM crm_customer_kpi_dirty"))
        # DELETE, not TRUNCATE: readers of an older snapshot keep their rows
        cr.execute(SQL("DELETE FROM crm_customer_kpi_rollup"))
        for fact in FACTS:
            for grain in (None, *GRAINS):
                cr.execute(self._aggregate_sql(fact, tz, grain=grain))
        param = self.env["ir.config_parameter"].sudo()
        param.set_param(BUILT_TZ_PARAM, tz)
        param.set_param(BUILT_FACTS_PARAM, self._built_facts())
        cr.execute(SQL("ANALYZE crm_customer_kpi_rollup"))

    @api.model
    def _refresh(self):
        """Aggregate the dirty days again (cron). Markers inserted by
        transactions this one does not see stay for the next run."""
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(SQL(
            """DELETE FROM crm_customer_kpi_dirty
             RETURNING tbl, company_id, day"""
        ))
        # {table: {grain (None: all rows): {(company, day)}}}
        dirty = defaultdict(lambda: defaultdict(set))
        count = 0
        for marker, company_id, day in cr.fetchall():
            table, grain = self._parse_marker(marker)
            dirty[table][grain].add((company_id, day))
            count += 1
        if not count:
            return 0
        tz = self._built_tz()
        for fact, spec in FACTS.items():
            marked = dirty.get(self.env[spec["model"]]._table)
            if not marked:
                continue
            everything = marked.get(None, set())
            jobs = [(everything, None)] + [
                (days - everything, grain) for grain, days in marked.items() if grain
            ]
            for days, grain in jobs:
                if days:
                    self._aggregate_days(fact, tz, days, grain)
        return count

    @api.model
    def _parse_marker(self, marker):
        """(table, dimension or None) of a dirty marker; a marker of another
        version of this code (e.g. ":owner", ":grains") stands for all the
        dimensions."""
        table, _sep, grain = marker.partition(GRAIN_SEP)
        if grain and grain not in GRAINS:
            grain = "*"
        return table, grain or None

    @api.model
    def _aggregate_days(self, fact, tz, days, grain=None):
        """Aggregate ``fact`` again for the (company, day) pairs ``days``:
        all rows (``grain`` None), one dimension's, or all dimensions'
        ("*")."""
        cr = self.env.cr
        grains = (None, *GRAINS) if grain is None else GRAINS if grain == "*" else (grain,)
        which = (SQL("TRUE") if grain is None else SQL("g IS NOT NULL") if grain == "*"
                 else SQL("g = %s", grain))
        if len(days) > MAX_DIRTY_DAYS:
            # many days (a bulk load): one pass over the whole table costs
            # less than a lookup per day
            cr.execute(SQL("DELETE FROM crm_customer_kpi_rollup WHERE fact = %s AND %s",
                           fact, which))
            for each in grains:
                cr.execute(self._aggregate_sql(fact, tz, None, each))
            return
        companies = [c for c, _d in days]
        dates = [d for _c, d in days]
        cr.execute(SQL(
            """DELETE FROM crm_customer_kpi_rollup r
                USING unnest(%s::int[], %s::date[]) AS d(company_id, day)
                WHERE r.fact = %s AND r.company_id = d.company_id AND r.day = d.day AND %s""",
            companies, dates, fact, which,
        ))
        for each in grains:
            cr.execute(self._aggregate_sql(fact, tz, (companies, dates), each))

    @api.model
    def _built_facts(self):
        return f"{ROLLUP_VERSION}:{','.join(FACTS)}"

    @api.model
    def _customer_field_sql(self, Model, alias, fname):
        """SQL: the field ``fname`` of the customer of a record of ``Model``."""
        if Model._name == "crm.customer":
            return SQL.identifier(alias, fname)
        return _customer_column(alias, fname)

    @api.model
    def _aggregate_sql(self, fact, tz, days=None, grain=None):
        """INSERT the aggregates of ``fact`` (all days, or the (companies,
        dates) pairs of ``days``), of all customers or per value of the
        customer's field ``grain``."""
        spec = FACTS[fact]
        Model = self.env[spec["model"]]
        alias = Model._table
        date = spec["date"](alias)
        local_day = _local_date(date, tz)
        keys = [key(alias, tz) for key in spec.get("keys", ())]
        keys += [SQL("NULL")] * (2 - len(keys))
        conditions = [SQL("%s IS NOT NULL", date)]
        if "active" in Model._fields:
            conditions.append(SQL("%s", SQL.identifier(alias, "active")))
        if spec.get("domain"):
            # the fact's own condition, without record rules (sudo)
            query = Model.sudo().with_context(active_test=False)._where_calc(spec["domain"])
            conditions.append(query.where_clause)
        if spec.get("where"):
            conditions.append(spec["where"](alias))
        source = SQL.identifier(alias)
        if days is not None:
            source = SQL(
                """%s JOIN unnest(%s::int[], %s::date[]) AS dirty(company_id, day)
                     ON dirty.company_id = %s
                    AND %s >= (dirty.day::timestamp AT TIME ZONE %s) AT TIME ZONE 'UTC'
                    AND %s < ((dirty.day + 1)::timestamp AT TIME ZONE %s) AT TIME ZONE 'UTC'""",
                source, days[0], days[1], SQL.identifier(alias, "company_id"),
                date, tz, date, tz,
            )
        return SQL(
            """INSERT INTO crm_customer_kpi_rollup (fact, company_id, day, k1, k2, n, s, m, g, v)
               SELECT %s, %s, %s, %s::varchar, %s::varchar, count(*), %s, %s, %s::varchar, %s
                 FROM %s
                WHERE %s
                GROUP BY 2, 3, 4, 5, 10""",
            fact, SQL.identifier(alias, "company_id"), local_day, keys[0], keys[1],
            SQL("sum(%s)", spec["s"](alias)) if spec.get("s") else SQL("NULL::numeric"),
            SQL("count(*) FILTER (WHERE %s)", spec["m"](alias)) if spec.get("m") else SQL("0"),
            grain,
            SQL("coalesce((%s)::varchar, '')", self._customer_field_sql(Model, alias, grain))
            if grain else SQL("NULL::varchar"),
            source, SQL(" AND ").join(conditions),
        )

    @api.model
    def _cron_refresh(self):
        """Aggregate the dirty days again, or every day when the wanted time
        zone changed (Settings trigger this cron), or all of it when the code
        is newer than the aggregates (an update without the module upgrade)."""
        built = self.env["ir.config_parameter"].sudo().get_param(BUILT_FACTS_PARAM)
        if built != self._built_facts():
            self.init()
            _logger.info("customer KPI aggregates rebuilt for version %s", ROLLUP_VERSION)
            return
        if self._tz() != self._built_tz():
            self._rebuild()
            _logger.info("customer KPI aggregates rebuilt for the time zone %s", self._built_tz())
            return
        count = self._refresh()
        _logger.info("customer KPI aggregates: %s dirty day(s) aggregated again", count)

    # ------------------------------------------------------------
    # READING
    # ------------------------------------------------------------

    @api.model
    def _usable(self, flt):
        """Dirty days by table when the aggregates may answer ``flt`` for the
        current user, else None. The filter's time zone must be the
        aggregates' one, and either

        - the user's record rules on the customers, their follow-ups, needs,
          feedback and ledger accept every record of the filtered companies,
          and at most one dimension of :data:`GRAINS` is filtered (the rows
          of all customers, or of that dimension's value), or
        - no dimension but the user themselves is filtered and each of those
          rules is "the customers I own" (within the companies), or that or
          others (the rows of the user's customers, and the others' records
          live, see :meth:`_owner_rules`).

        Sets ``flt["grain"]`` ((field, value) whose rows answer, or None)
        and ``flt["owner_rest"]`` ({model: domain of the records the user
        sees besides their own customers', or None})."""
        flt["grain"], flt["owner_rest"] = None, {}
        if self.env.context.get("crm_kpi_live"):
            return None
        if flt["tz"] != self._built_tz() or not table_exists(self.env.cr, ROLLUP_TABLE):
            return None
        built = self.env["ir.config_parameter"].sudo().get_param(BUILT_FACTS_PARAM)
        if built != self._built_facts():
            return None  # code newer than the aggregates: until the upgrade
        grain = None
        if dimension := flt["dimension_domain"]:
            if len(dimension) > 1 or dimension[0][1] != "=" or dimension[0][0] not in GRAINS:
                return None
            grain = (dimension[0][0], dimension[0][2])
        if all(self._rules_accept_companies(model, flt["company_ids"]) for model in ROLLUP_MODELS):
            flt["grain"] = grain
        elif grain and grain != ("user_id", self.env.uid):
            return None
        else:
            rest = {}
            for model in ROLLUP_MODELS:
                others = self._owner_rules(model, flt["company_ids"])
                if others is None:
                    return None
                rest[model] = others
            flt["grain"] = ("user_id", self.env.uid)
            # filtering on themselves, they see their own customers only
            flt["owner_rest"] = {} if grain else rest
        self.env.cr.execute(SQL(
            """SELECT tbl, day FROM crm_customer_kpi_dirty
                WHERE company_id IN %s GROUP BY tbl, day""",
            tuple(flt["company_ids"]),
        ))
        dirty = defaultdict(set)
        for marker, day in self.env.cr.fetchall():
            table, grain = self._parse_marker(marker)
            # stale rows of a dimension: only for who reads them
            if grain and not (flt["grain"] and grain in ("*", flt["grain"][0])):
                continue
            dirty[table].add(day)
        return dirty

    @api.model
    def _owner_rules(self, model, company_ids):
        """When the current user's read rules on ``model`` are "records of
        the customers I own" (or that or other rules) within
        ``company_ids``: the domain of the records they see besides their
        own customers' (False when there are none); None when they are
        not. The global rules must accept every record of the companies."""
        if not self.env[model].has_access("read") or self.env[model]._inherits:
            return None
        Rule = self.env["ir.rule"]
        path = OWNER_PATHS.get(model, CHILD_OWNER_PATH)
        mine = [(path, "=", self.env.uid)]
        eval_context = Rule._eval_context()
        user_groups = self.env.user.groups_id
        owner, others = False, []
        for rule in Rule._get_rules(model, mode="read").sudo():
            domain = expression.normalize_domain(
                safe_eval(rule.domain_force, eval_context) if rule.domain_force else []
            )
            domain = [tuple(term) if isinstance(term, list) else term for term in domain]
            if not rule.groups:
                if not all(self._eval_company_domain(list(domain), cid) is True
                           for cid in company_ids):
                    return None
            elif rule.groups & user_groups:
                if domain == mine:
                    owner = True
                else:
                    others.append(domain)
        if not owner:
            return None
        return expression.AND([expression.OR(others), [(path, "!=", self.env.uid)]]) if others else False

    @api.model
    def _rules_accept_companies(self, model, company_ids):
        """Whether the read rules of ``model`` for the current user accept
        every record whose company is in ``company_ids`` (and the user has the
        model's read access right): each leaf must be on the company (or a
        constant) unless the rest decides alone."""
        if self.env.su:
            return True
        if not self.env[model].has_access("read"):
            return False
        domain = expression.normalize_domain(self.env["ir.rule"]._compute_domain(model, "read"))
        return all(self._eval_company_domain(list(domain), cid) is True for cid in company_ids)

    @api.model
    def _eval_company_domain(self, domain, company_id):
        """Three-valued evaluation of a normalised domain for a record of
        ``company_id``: True, False or None (depends on other fields)."""
        def walk(position):
            token = domain[position]
            if token == "!":
                value, position = walk(position + 1)
                return (None if value is None else not value), position
            if token in ("&", "|"):
                left, position = walk(position + 1)
                right, position = walk(position)
                if token == "&":
                    if left is False or right is False:
                        return False, position
                    return (True if left and right else None), position
                if left is True or right is True:
                    return True, position
                return (False if left is False and right is False else None), position
            return leaf(token), position + 1

        def leaf(term):
            if term == expression.TRUE_LEAF:
                return True
            if term == expression.FALSE_LEAF:
                return False
            fname, operator, value = term
            if fname != "company_id":
                return None
            values = set(value) if isinstance(value, (list, tuple)) else {value}
            values = {v.id if isinstance(v, models.BaseModel) else v for v in values}
            if not all(v is False or isinstance(v, int) for v in values):
                return None  # a subquery or anything else: undecided
            if operator in ("=", "in"):
                return company_id in values
            if operator in ("!=", "not in"):
                return company_id not in values
            return None

        if not domain:
            return True
        return walk(0)[0]

    @api.model
    def _read(self, flt, fact, lo, hi, period=None, dirty=None, grouped=True, k1_below=None):
        """Rows ``{(month key or None, k1, k2): [n, s, m]}`` of ``fact`` for
        records dated in UTC [lo, hi) (``lo`` None: since ever), grouped by
        the months of ``period`` when given, and by the fact's keys unless
        ``grouped`` is false. Keys are strings (or None). ``period`` may
        also be ``{"buckets": [local days]}``: rows by the number of those
        days the record's day is at or after (0: before the first).
        ``k1_below`` (a date) keeps the records whose first key (a local
        day) is before it.

        ``dirty`` (from :meth:`_usable`) reads whole clean days from the
        aggregates and the rest live; None computes everything live with the
        caller's record rules."""
        spec = FACTS[fact]
        Model = self.env[spec["model"]]
        result = defaultdict(lambda: [0, 0.0, 0])
        live_ranges = [(lo, hi)]
        extra = []
        if dirty is not None:
            tz = pytz.timezone(flt["tz"])
            whole, live_ranges = self._split(tz, lo, hi, dirty.get(Model._table, set()))
            if whole:
                self._read_rollup(result, flt, fact, whole, period, grouped, k1_below)
            rest = flt.get("owner_rest", {}).get(Model._name)
            if rest:
                # the records seen besides the owner's customers': live
                self._read_live(result, flt, fact, Model, [(lo, hi)], period, grouped, k1_below,
                                rest)
                extra = [(OWNER_PATHS.get(Model._name, CHILD_OWNER_PATH), "=", flt["grain"][1])]
        if live_ranges:
            self._read_live(result, flt, fact, Model, live_ranges, period, grouped, k1_below,
                            extra)
        return result

    @api.model
    def _split(self, tz, lo, hi, dirty_days):
        """(first day, end day) of the whole clean days inside [lo, hi), and
        the UTC ranges to compute live (partial and dirty days)."""
        def midnight(day):
            return tz.localize(datetime.combine(day, time.min)).astimezone(pytz.utc).replace(tzinfo=None)

        def local_day(moment):
            return pytz.utc.localize(moment).astimezone(tz).date()

        live = []
        first = None
        if lo is not None:
            first = local_day(lo)
            if midnight(first) < lo:
                first += timedelta(days=1)
        end = local_day(hi)
        if first is not None and first >= end:
            return None, [(lo, hi)]
        if first is not None and lo < midnight(first):
            live.append((lo, midnight(first)))
        if midnight(end) < hi:
            live.append((midnight(end), hi))
        inside = sorted(d for d in dirty_days if (first is None or d >= first) and d < end)
        if len(inside) > MAX_DIRTY_DAYS:
            return None, [(lo, hi)]
        for day in inside:
            live.append((midnight(day), midnight(day + timedelta(days=1))))
        return (first, end, inside), live

    @api.model
    def _month(self, period, bucket):
        if period is not None and "buckets" in period:
            return bucket
        if period is None or not bucket:
            return None
        return period["month_keys"][bucket - 1]

    @api.model
    def _bucket_bounds(self, flt, period):
        """(local days, their UTC midnights) the rows are bucketed by."""
        if "buckets" not in period:
            return period["month_start_days"], period["month_starts"]
        tz = pytz.timezone(flt["tz"])
        return period["buckets"], [
            tz.localize(datetime.combine(day, time.min)).astimezone(pytz.utc).replace(tzinfo=None)
            for day in period["buckets"]
        ]

    @api.model
    def _read_rollup(self, result, flt, fact, whole, period, grouped=True, k1_below=None):
        first, end, excluded = whole
        conditions = [
            SQL("fact = %s", fact),
            SQL("company_id IN %s", tuple(flt["company_ids"])),
            SQL("day < %s", end),
        ]
        if first is not None:
            conditions.append(SQL("day >= %s", first))
        if excluded:
            conditions.append(SQL("day <> ALL(%s::date[])", excluded))
        if k1_below is not None:
            conditions.append(SQL("k1 < %s", str(k1_below)))
        if flt.get("grain"):
            fname, value = flt["grain"]
            conditions.append(SQL("g = %s AND v = %s", fname, str(value or "")))
        else:
            conditions.append(SQL("g IS NULL"))
        bucket = (SQL("width_bucket(day, %s::date[])", self._bucket_bounds(flt, period)[0])
                  if period else SQL("0"))
        keys = SQL("k1, k2") if grouped else SQL("NULL, NULL")
        self.env.cr.execute(SQL(
            """SELECT %s, %s, sum(n)::bigint, sum(s), sum(m)::bigint
                 FROM crm_customer_kpi_rollup WHERE %s GROUP BY 1, 2, 3""",
            bucket, keys, SQL(" AND ").join(conditions),
        ))
        for row in self.env.cr.fetchall():
            self._add(result, period, row)

    @api.model
    def _read_live(self, result, flt, fact, Model, ranges, period, grouped=True, k1_below=None,
                   extra=()):
        spec = FACTS[fact]
        base = flt["customer_domain"] if Model._name == "crm.customer" else (
            self.env["crm.customer.kpi"]._child_domain(flt))
        query = Model._search(expression.AND([base, spec.get("domain", [])]))
        if extra:
            # a part of the record rules (see _usable): applied as Odoo
            # applies them, as superuser
            expression.expression(extra, Model.sudo(), query.table, query)
        alias = query.table
        date = spec["date"](alias)
        bounds = []
        for lo, hi in ranges:
            if lo is None:
                bounds.append(SQL("%s < %s", date, hi))
            else:
                bounds.append(SQL("(%s >= %s AND %s < %s)", date, lo, date, hi))
        query.add_where(SQL("(%s)", SQL(" OR ").join(bounds)))
        if spec.get("where"):
            query.add_where(spec["where"](alias))
        tz = flt["tz"]
        if k1_below is not None:
            query.add_where(SQL("%s < %s", spec["keys"][0](alias, tz), str(k1_below)))
        keys = [key(alias, tz) for key in spec.get("keys", ())] if grouped else []
        keys += [SQL("NULL")] * (2 - len(keys))
        bucket = (SQL("width_bucket(%s, %s::timestamp[])", date, self._bucket_bounds(flt, period)[1])
                  if period else SQL("0"))
        self.env.cr.execute(SQL(
            "%s GROUP BY 1, 2, 3",
            query.select(
                bucket,
                keys[0],
                keys[1],
                SQL("count(*)"),
                SQL("sum(%s)", spec["s"](alias)) if spec.get("s") else SQL("NULL"),
                SQL("count(*) FILTER (WHERE %s)", spec["m"](alias)) if spec.get("m") else SQL("0"),
            ),
        ))
        for row in self.env.cr.fetchall():
            self._add(result, period, row)

    @api.model
    def _add(self, result, period, row):
        bucket, k1, k2, n, s, m = row
        # live keys come as stored (ids, texts), aggregated ones as texts
        k1 = None if k1 is None else str(k1)
        k2 = None if k2 is None else str(k2)
        values = result[(self._month(period, bucket), k1, k2)]
        values[0] += n
        values[1] += float(s or 0.0)
        values[2] += m or 0
