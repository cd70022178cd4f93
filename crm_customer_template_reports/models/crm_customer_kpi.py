# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The one KPI service of the customer reports.

Every figure shown on the dashboard, printed in a PDF or written to an XLSX
comes from :meth:`CrmCustomerKpi.get_kpis`. It aggregates in PostgreSQL
(``_read_group`` or ``odoo.tools.SQL``) on queries built by ``_search`` so that
the caller's access rights and record rules always apply: a salesperson gets
the figures of the records they may read, nothing more.
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

PRESETS = ("this_month", "this_quarter", "this_year", "last_12_months", "custom")
FORGOTTEN_DAYS = (7, 15, 30, 90, 180)
MAX_MONTHS = 120
STATES = ("potential", "intent", "won", "lost")


def _ratio(numerator, denominator, digits=1):
    """Percentage rounded, or None when the denominator is empty."""
    if not denominator:
        return None
    return round(100.0 * numerator / denominator, digits)


def _first_since(previous, day):
    """Whether a ledger move whose customer's previous move to the same
    status was on the local day ``previous`` (None: none) is the customer's
    first one since ``day`` (both YYYY-MM-DD texts)."""
    return previous is None or previous < day


def _mean(total, count, digits=1):
    if not count:
        return None
    return round(total / count, digits)


class CrmCustomerKpi(models.AbstractModel):
    _name = "crm.customer.kpi"
    _description = "Customer KPI Service"

    # ------------------------------------------------------------
    # PUBLIC API
    # ------------------------------------------------------------

    @api.model
    @api.readonly
    def get_kpis(self, filters=None):
        """Return every figure of the reports for ``filters``.

        ``filters`` keys (all optional): ``preset`` (this_month, this_quarter,
        this_year, last_12_months, custom), ``date_from`` / ``date_to``
        (ISO dates, both inclusive, for ``custom``), ``company_ids``,
        ``team_id``, ``user_id``, ``grade``, ``industry_id``, ``source_id``.

        The answer is JSON-serialisable: ``filter`` (normalised, with labels),
        ``months``, ``tiles`` (value, previous value, monthly trend, model and
        domain to open the records), ``breakdowns`` (lists of segments with
        their domain), ``funnel``, ``forgotten`` and ``salespeople``.
        """
        flt = self._normalize_filter(filters)
        self = self.with_context(tz=flt["tz"])
        # dirty days when the daily aggregates may answer, else None (live)
        flt["dirty"] = self.env["crm.customer.kpi.rollup"]._usable(flt)
        period = self._period(flt, flt["date_from"], flt["date_to"])
        previous = self._period(flt, flt["prev_from"], flt["prev_to"])
        ledger = self._has_ledger()

        cur = self._compute_period_figures(flt, period, ledger)
        prev = self._compute_period_figures(flt, previous, ledger, light=True)

        tiles = {}
        for key, tile in cur["tiles"].items():
            tile["previous"] = prev["tiles"].get(key, {}).get("value")
            tile["change"] = self._change(tile["value"], tile["previous"])
            tile["month_domains"] = self._month_domains(tile, period)
            tiles[key] = tile

        result = {
            "filter": self._filter_description(flt),
            "months": period["month_keys"],
            "month_labels": [self._month_label(m) for m in period["months"]],
            "ledger_available": ledger,
            "tiles": tiles,
            "breakdowns": cur["breakdowns"],
            "funnel": cur["funnel"],
            "forgotten": self._forgotten(flt),
            "salespeople": cur["salespeople"],
        }
        return result

    @api.model
    @api.readonly
    def get_dashboard_data(self, filters=None):
        """Everything the dashboard shows, in one call: the figures, the
        labels and the options of the filter bar."""
        Customer = self.env["crm.customer"]
        kpis = self.get_kpis(filters)
        grade_field = Customer._fields["grade"]
        return {
            "kpis": kpis,
            "tile_labels": self._tile_labels(),
            "breakdown_labels": self._breakdown_labels(),
            "options": {
                "teams": [[t.id, t.display_name] for t in self.env["crm.team"].search([], limit=200)],
                "users": [
                    [u.id, u.display_name]
                    for u in self.env["res.users"].search(
                        [("share", "=", False),
                         ("groups_id", "in", self.env.ref(
                             "crm_customer_template.group_crm_customer_user").ids)],
                        limit=500,
                    )
                ],
                "industries": [
                    [i.id, i.display_name]
                    for i in self.env["res.partner.industry"].search([], limit=500)
                ],
                "sources": [
                    [s.id, s.display_name]
                    for s in self.env["crm.customer.source"].search([], limit=500)
                ],
                "grades": list(grade_field._description_selection(self.env)),
            },
            "option_labels": {
                "team_id": _("Sales team"),
                "user_id": _("Salesperson"),
                "industry_id": _("Industry"),
                "source_id": _("Source"),
                "grade": _("Grade"),
            },
        }

    # ------------------------------------------------------------
    # FILTER
    # ------------------------------------------------------------

    @api.model
    def _today(self, tz):
        return datetime.now(pytz.utc).astimezone(tz).date()

    @api.model
    def _normalize_filter(self, filters):
        """Validate the filter and fill the period from the preset."""
        filters = dict(filters or {})
        tz_name = self.env.context.get("tz") or self.env.user.tz or "UTC"
        if tz_name not in pytz.all_timezones_set:
            tz_name = "UTC"
        tz = pytz.timezone(tz_name)
        preset = filters.get("preset") or (
            "custom" if filters.get("date_from") or filters.get("date_to") else "this_year"
        )
        if preset not in PRESETS:
            raise UserError(_("Unknown period preset %(preset)s.", preset=preset))
        today = self._today(tz)
        if preset == "custom":
            try:
                date_from = fields.Date.to_date(filters.get("date_from"))
                date_to = fields.Date.to_date(filters.get("date_to"))
            except (TypeError, ValueError) as exc:
                raise UserError(
                    _("The period dates must be given as YYYY-MM-DD.")
                ) from exc
            if not date_from or not date_to:
                raise UserError(_("A custom period needs both a start date and an end date."))
            if date_from > date_to:
                raise UserError(
                    _(
                        "The period starts after it ends (%(date_from)s > %(date_to)s).",
                        date_from=date_from,
                        date_to=date_to,
                    )
                )
            months = (date_to.year - date_from.year) * 12 + date_to.month - date_from.month + 1
            if months > MAX_MONTHS:
                raise UserError(
                    _("The period may span at most %(months)s months.", months=MAX_MONTHS)
                )
            length = date_to - date_from
            prev_to = date_from - timedelta(days=1)
            prev_from = prev_to - length
        else:
            if preset == "this_month":
                date_from = today.replace(day=1)
                step = relativedelta(months=1)
            elif preset == "this_quarter":
                date_from = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
                step = relativedelta(months=3)
            elif preset == "this_year":
                date_from = date(today.year, 1, 1)
                step = relativedelta(years=1)
            else:  # last_12_months, this month included
                date_from = today.replace(day=1) - relativedelta(months=11)
                step = relativedelta(years=1)
            date_to = date_from + step - timedelta(days=1)
            prev_from = date_from - step
            prev_to = date_from - timedelta(days=1)

        company_ids = filters.get("company_ids") or []
        if isinstance(company_ids, int):
            company_ids = [company_ids]
        allowed = set(self.env.companies.ids)
        company_ids = [cid for cid in company_ids if cid in allowed] or self.env.companies.ids

        def _id(key):
            value = filters.get(key)
            if value in (None, False, ""):
                return False
            if isinstance(value, (list, tuple)):  # (id, name) pairs from the UI
                value = value[0]
            try:
                return int(value)
            except (TypeError, ValueError) as exc:
                raise UserError(_("Invalid value for the filter %(name)s.", name=key)) from exc

        grade = filters.get("grade") or False
        grade_values = dict(self.env["crm.customer"]._fields["grade"].selection)
        if grade and grade not in grade_values:
            raise UserError(_("Unknown customer grade %(grade)s.", grade=grade))

        flt = {
            "preset": preset,
            "tz": tz_name,
            "date_from": date_from,
            "date_to": date_to,
            "prev_from": prev_from,
            "prev_to": prev_to,
            "company_ids": company_ids,
            "team_id": _id("team_id"),
            "user_id": _id("user_id"),
            "grade": grade,
            "industry_id": _id("industry_id"),
            "source_id": _id("source_id"),
        }
        flt["customer_domain"] = self._customer_domain(flt)
        flt["dimension_domain"] = flt["customer_domain"][1:]
        return flt

    @api.model
    def _customer_domain(self, flt):
        domain = [("company_id", "in", flt["company_ids"])]
        for key in ("team_id", "user_id", "grade", "industry_id", "source_id"):
            if flt[key]:
                domain.append((key, "=", flt[key]))
        return domain

    @api.model
    def _filter_description(self, flt):
        """The normalised filter with human-readable labels (for PDF/XLSX/UI)."""
        env = self.env
        labels = []
        preset_labels = {
            "this_month": _("This month"),
            "this_quarter": _("This quarter"),
            "this_year": _("This year"),
            "last_12_months": _("Last 12 months"),
            "custom": _("Custom period"),
        }
        period_label = _(
            "%(preset)s: %(date_from)s ~ %(date_to)s",
            preset=preset_labels[flt["preset"]],
            date_from=fields.Date.to_string(flt["date_from"]),
            date_to=fields.Date.to_string(flt["date_to"]),
        )
        labels.append(period_label)
        companies = env["res.company"].browse(flt["company_ids"])
        if len(env.companies) > 1:
            labels.append(_("Companies: %(names)s", names=", ".join(companies.mapped("name"))))
        many2ones = (
            ("team_id", "crm.team", _("Sales team")),
            ("user_id", "res.users", _("Salesperson")),
            ("industry_id", "res.partner.industry", _("Industry")),
            ("source_id", "crm.customer.source", _("Source")),
        )
        names = {}
        for key, model, label in many2ones:
            if flt[key]:
                name = env[model].browse(flt[key]).sudo().display_name
                names[key] = [flt[key], name]
                labels.append(f"{label}: {name}")
        if flt["grade"]:
            grade_label = dict(
                env["crm.customer"]._fields["grade"]._description_selection(env)
            )[flt["grade"]]
            labels.append(_("Grade: %(grade)s", grade=grade_label))
        return {
            "preset": flt["preset"],
            "date_from": fields.Date.to_string(flt["date_from"]),
            "date_to": fields.Date.to_string(flt["date_to"]),
            "prev_from": fields.Date.to_string(flt["prev_from"]),
            "prev_to": fields.Date.to_string(flt["prev_to"]),
            "company_ids": flt["company_ids"],
            "team_id": flt["team_id"],
            "user_id": flt["user_id"],
            "grade": flt["grade"],
            "industry_id": flt["industry_id"],
            "source_id": flt["source_id"],
            "names": names,
            "tz": flt["tz"],
            "label": period_label,
            "labels": labels,
            "text": " · ".join(labels),
        }

    @api.model
    def _period(self, flt, date_from, date_to):
        """UTC bounds [start, end) of a local-date period and its months."""
        tz = pytz.timezone(flt["tz"])

        def _utc(day):
            local = tz.localize(datetime.combine(day, time.min))
            return local.astimezone(pytz.utc).replace(tzinfo=None)

        months = []
        month = date_from.replace(day=1)
        while month <= date_to:
            months.append(month)
            month += relativedelta(months=1)
        # boundaries of each month inside the period (first is the period start)
        start_days = [max(m, date_from) for m in months]
        bounds = [_utc(day) for day in start_days]
        return {
            "date_from": date_from,
            "date_to": date_to,
            "start": _utc(date_from),
            "end": _utc(date_to + timedelta(days=1)),
            "months": months,
            "month_keys": [m.strftime("%Y-%m") for m in months],
            "month_starts": bounds,
            "month_start_days": start_days,
            "now": fields.Datetime.now(),
        }

    @api.model
    def _month_label(self, month):
        return month.strftime("%Y-%m")

    @api.model
    def _has_ledger(self):
        return "crm.customer.ledger" in self.env

    # ------------------------------------------------------------
    # FIGURES
    # ------------------------------------------------------------

    @api.model
    def _dt(self, value):
        return fields.Datetime.to_string(value)

    @api.model
    def _range(self, fname, period):
        return [(fname, ">=", self._dt(period["start"])), (fname, "<", self._dt(period["end"]))]

    @api.model
    def _month_domains(self, tile, period):
        """The tile's domain restricted to each month of the period (a chart
        bar opens its month's records), or None when the tile has no period
        range in its domain."""
        domain = tile.get("domain")
        start, end = self._dt(period["start"]), self._dt(period["end"])
        if not domain:
            return None
        lower = next((i for i, leaf in enumerate(domain)
                      if isinstance(leaf, tuple) and leaf[1] == ">=" and leaf[2] == start), None)
        if lower is None or domain[lower + 1] != (domain[lower][0], "<", end):
            return None
        fname = domain[lower][0]
        bounds = [self._dt(b) for b in period["month_starts"][1:]] + [end]
        starts = [start] + bounds[:-1]
        return [
            domain[:lower] + [(fname, ">=", lo), (fname, "<", hi)] + domain[lower + 2:]
            for lo, hi in zip(starts, bounds, strict=True)
        ]

    @api.model
    def _child_domain(self, flt, extra=()):
        """Domain of a customer's child records (follow-ups, needs, feedback,
        ledger): the child's own stored company, and the customer dimensions
        only when some are filtered (a semi-join over every customer costs
        more than everything else)."""
        domain = [("company_id", "in", flt["company_ids"])]
        if flt.get("dimension_domain"):
            domain.append(("customer_id", "any", flt["dimension_domain"]))
        return [*domain, *extra]

    @api.model
    def _monthly(self, period, values):
        """List aligned on the period's months from a {YYYY-MM: value} dict."""
        return [values.get(key, 0) for key in period["month_keys"]]

    @api.model
    def _tile(self, value, model=None, domain=None, trend=None, unit="", fmt="int", help_text=""):
        return {
            "value": value,
            "model": model,
            "domain": domain,
            "trend": trend,
            "unit": unit,
            "format": fmt,
            "help": help_text,
        }

    @api.model
    def _bucket_sql(self, period, column):
        """SQL: 1-based index of the period's month holding the UTC timestamp
        ``column`` (``width_bucket`` on the months' UTC starts: one binary
        search per row instead of two time-zone conversions)."""
        return SQL("width_bucket(%s, %s::timestamp[])", column, period["month_starts"])

    @api.model
    def _bucket_key(self, period, bucket):
        """Month key (YYYY-MM) of a ``_bucket_sql`` value."""
        if not bucket:
            return False
        return period["month_keys"][bucket - 1]

    def _compute_period_figures(self, flt, period, ledger, light=False):
        """All figures of one period. ``light`` skips the breakdowns."""
        Customer = self.env["crm.customer"]
        Followup = self.env["crm.customer.followup"]
        Need = self.env["crm.customer.need"]
        Feedback = self.env["crm.customer.feedback"]
        cdom = flt["customer_domain"]
        tiles = {}
        breakdowns = {}

        # New customers and their 24-hour follow-up (one fact) ------------
        new_domain = cdom + self._range("create_date", period)
        # the previous period (light) needs totals only: no month grouping
        new_by_month = defaultdict(int)
        comp_month = defaultdict(lambda: [0, 0])
        comp_user = defaultdict(lambda: [0, 0])
        new_rows = self._fact(flt, "new", period["start"], period["end"],
                              None if light else period, grouped=not light)
        for (month, user_key, _key), (count, _sum, compliant) in new_rows.items():
            new_by_month[month] += count
            user_id = int(user_key) if user_key else False
            for target in (comp_month[month], comp_user[user_id]):
                target[0] += count
                target[1] += compliant
        new_total = sum(new_by_month.values())
        tiles["new_customers"] = self._tile(
            new_total, "crm.customer", new_domain, self._monthly(period, new_by_month)
        )

        # Won / lost (ledger) -----------------------------------------------
        won_by_month, won_total, won_domain = self._ledger_moves(
            flt, period, "won", ledger, light
        )
        lost_by_month, lost_total, lost_domain = self._ledger_moves(
            flt, period, "lost", ledger, light
        )
        ledger_model = "crm.customer.ledger" if ledger else None
        tiles["won_customers"] = self._tile(
            won_total, ledger_model, won_domain, self._monthly(period, won_by_month)
        )
        tiles["lost_customers"] = self._tile(
            lost_total, ledger_model, lost_domain, self._monthly(period, lost_by_month)
        )
        tiles["conversion_rate"] = self._tile(
            _ratio(won_total, new_total) if ledger else None,
            ledger_model,
            won_domain,
            [
                _ratio(won_by_month.get(m, 0), new_by_month.get(m, 0)) if ledger else None
                for m in period["month_keys"]
            ],
            unit="%",
            fmt="float",
        )

        # Churn ---------------------------------------------------------------
        active_at = self._active_at(
            flt,
            dict(period, month_keys=period["month_keys"][:1],
                 month_starts=period["month_starts"][:1],
                 month_start_days=period["month_start_days"][:1]) if light else period,
            ledger,
            new_by_month,
        )
        churn_trend = []
        for key, base in zip(period["month_keys"][: len(active_at)], active_at, strict=True):
            churn_trend.append(_ratio(lost_by_month.get(key, 0), base) if ledger else None)
        tiles["churn_rate"] = self._tile(
            _ratio(lost_total, active_at[0]) if ledger and active_at else None,
            ledger_model,
            lost_domain,
            churn_trend,
            unit="%",
            fmt="float",
        )
        tiles["active_at_start"] = self._tile(
            active_at[0] if active_at else 0, "crm.customer", None, active_at
        )

        # Follow-ups (count and gaps to the previous follow-up, one query) ------
        fu_domain = self._child_domain(flt, self._range("followup_date", period))
        fu_groupby = [] if light else ["followup_date:month", "user_id", "method_id"]
        fu_rows = self._followup_rows(flt, period, light)
        fu_by_month = defaultdict(int)
        gap_by_month = {}
        for row in fu_rows:
            key = row[0] if fu_groupby else None
            count, gap_sum, gap_count = row[len(fu_groupby):]
            fu_by_month[key] += count
            if gap_count:
                total, number = gap_by_month.get(key, (0.0, 0))
                gap_by_month[key] = (total + gap_sum, number + gap_count)
        gap_total = sum(v[0] for v in gap_by_month.values())
        gap_count = sum(v[1] for v in gap_by_month.values())
        tiles["followup_count"] = self._tile(
            sum(fu_by_month.values()),
            "crm.customer.followup",
            fu_domain,
            self._monthly(period, fu_by_month),
        )
        tiles["avg_followup_cycle"] = self._tile(
            _mean(gap_total, gap_count),
            "crm.customer.followup",
            fu_domain + [("gap_days", "!=", False)],
            [_mean(*gap_by_month.get(m, (0, 0))) for m in period["month_keys"]],
            unit=_("days"),
            fmt="float",
        )
        won_days_total, won_days_count, won_days_by_month = self._days_to_won(flt, period, ledger)
        tiles["avg_days_to_won"] = self._tile(
            _mean(won_days_total, won_days_count) if ledger else None,
            ledger_model,
            won_domain,
            [_mean(*won_days_by_month.get(m, (0, 0))) if ledger else None
             for m in period["month_keys"]],
            unit=_("days"),
            fmt="float",
        )

        # 24-hour compliance (from the new customers' fact) -------------------
        comp_total = sum(v[0] for v in comp_month.values())
        comp_ok = sum(v[1] for v in comp_month.values())
        tiles["followup_compliance_24h"] = self._tile(
            _ratio(comp_ok, comp_total),
            "crm.customer",
            new_domain,
            [_ratio(comp_month[m][1], comp_month[m][0]) for m in period["month_keys"]],
            unit="%",
            fmt="float",
        )

        # Needs -------------------------------------------------------------------
        need_domain = self._child_domain(flt, self._range("create_date", period))
        need_groupby = ["create_date:month", "state", "priority"]
        need_rows = [
            (month, state or False, priority or False, count)
            for (month, state, priority), (count, _sum, _count) in self._fact(
                flt, "need", period["start"], period["end"], None if light else period,
                grouped=not light,
            ).items()
        ]
        need_by_month = defaultdict(int)
        for row in need_rows:
            need_by_month[row[0]] += row[-1]
        tiles["need_count"] = self._tile(
            sum(need_by_month.values()), "crm.customer.need", need_domain,
            self._monthly(period, need_by_month),
        )
        done_total, done_count, done_by_month = self._sum_count_by_month(self._fact(
            flt, "need_done", period["start"], period["end"], None if light else period
        ))
        tiles["avg_need_done_days"] = self._tile(
            _mean(done_total, done_count),
            "crm.customer.need",
            self._child_domain(flt, self._range("date_done", period)),
            [_mean(*done_by_month.get(m, (0, 0))) for m in period["month_keys"]],
            unit=_("days"),
            fmt="float",
        )

        # Feedback ----------------------------------------------------------------
        fb_domain = self._child_domain(flt, self._range("feedback_date", period))
        fb_groupby = ["feedback_date:month", "satisfaction", "feedback_type_id"]
        Types = Feedback.feedback_type_id
        fb_rows = [
            (month, int(score) if score else False, Types.browse(int(type_id) if type_id else ()),
             count)
            for (month, score, type_id), (count, _sum, _count) in self._fact(
                flt, "feedback", period["start"], period["end"], None if light else period
            ).items()
        ]
        fb_by_month = defaultdict(int)
        sat_by_month = defaultdict(lambda: [0, 0])
        sat_dist = defaultdict(int)
        for row in fb_rows:
            key, satisfaction = row[0], row[1]
            count = row[-1]
            fb_by_month[key] += count
            if satisfaction and 1 <= satisfaction <= 5:
                sat_by_month[key][0] += satisfaction * count
                sat_by_month[key][1] += count
                sat_dist[satisfaction] += count
        sat_sum = sum(v[0] for v in sat_by_month.values())
        sat_count = sum(v[1] for v in sat_by_month.values())
        tiles["feedback_count"] = self._tile(
            sum(fb_by_month.values()), "crm.customer.feedback", fb_domain,
            self._monthly(period, fb_by_month),
        )
        tiles["satisfaction_avg"] = self._tile(
            _mean(sat_sum, sat_count, 2),
            "crm.customer.feedback",
            fb_domain + [("satisfaction", ">", 0)],
            [_mean(*sat_by_month.get(m, (0, 0)), 2) for m in period["month_keys"]],
            unit="/5",
            fmt="float",
        )

        result = {"tiles": tiles}
        if light:
            return result

        # Breakdowns ----------------------------------------------------------------
        breakdowns["followups_by_user"] = self._fold(
            Followup, fu_rows, fu_groupby, "user_id", fu_domain, "crm.customer.followup"
        )
        breakdowns["followups_by_method"] = self._fold(
            Followup, fu_rows, fu_groupby, "method_id", fu_domain, "crm.customer.followup"
        )
        breakdowns["needs_by_state"] = self._fold(
            Need, need_rows, need_groupby, "state", need_domain, "crm.customer.need"
        )
        breakdowns["needs_by_priority"] = self._fold(
            Need, need_rows, need_groupby, "priority", need_domain, "crm.customer.need"
        )
        breakdowns["feedback_by_type"] = self._fold(
            Feedback, fb_rows, fb_groupby, "feedback_type_id", fb_domain, "crm.customer.feedback"
        )
        breakdowns["satisfaction"] = [
            {
                "key": score,
                "label": "★" * score,
                "value": sat_dist.get(score, 0),
                "model": "crm.customer.feedback",
                "domain": fb_domain + [("satisfaction", "=", score)],
            }
            for score in range(1, 6)
        ]
        base_domain = cdom + [("create_date", "<", self._dt(period["end"]))]
        base_groupby = ["grade", "industry_id", "source_id", "state", "user_id"]
        base_sets = self._customer_base(flt, period, base_domain, base_groupby)
        for fname in ("grade", "industry_id", "source_id", "state"):
            breakdowns[f"customers_by_{fname.removesuffix('_id')}"] = self._fold(
                Customer, base_sets[fname], [fname], fname, base_domain, "crm.customer"
            )
        if ledger:
            breakdowns["lost_reasons"] = self._segments(
                self.env["crm.customer.ledger"],
                lost_domain,
                "lost_reason_id",
                "crm.customer.ledger",
                aggregate="customer_id:count_distinct",
                limit=10,
            )
        else:
            breakdowns["lost_reasons"] = []
        result["breakdowns"] = breakdowns
        result["funnel"] = self._funnel(flt, period, new_domain, new_total, ledger)

        # Salespeople table -------------------------------------------------------------
        owners = defaultdict(lambda: {"customers": 0, "followups": 0, "won": 0,
                                      "compliance_base": 0, "compliance_ok": 0})
        for user, count in base_sets["user_id"]:
            owners[user.id]["customers"] += count
        for seg in breakdowns["followups_by_user"]:
            owners[seg["key"]]["followups"] += seg["value"]
        for user_id, (total, ok) in comp_user.items():
            owners[user_id]["compliance_base"] += total
            owners[user_id]["compliance_ok"] += ok
        for user_id, count in self._won_by_owner(flt, period, ledger):
            owners[user_id]["won"] += count
        users = self.env["res.users"].browse([uid for uid in owners if uid]).sudo()
        names = {user.id: user.display_name for user in users}
        rows = []
        for user_id, vals in owners.items():
            rows.append({
                "user_id": user_id,
                "name": names.get(user_id) or _("Unassigned"),
                "customers": vals["customers"],
                "followups": vals["followups"],
                "compliance": _ratio(vals["compliance_ok"], vals["compliance_base"]),
                "won": vals["won"],
                "customer_domain": base_domain + [("user_id", "=", user_id)],
                "followup_domain": fu_domain + [("user_id", "=", user_id)],
            })
        rows.sort(key=lambda r: (-r["won"], -r["customers"], r["name"]))
        result["salespeople"] = rows
        return result

    # ------------------------------------------------------------
    # HELPERS (one query each)
    # ------------------------------------------------------------

    @api.model
    def _segments(self, model, domain, fname, res_model, aggregate="__count", limit=None):
        """Breakdown of ``model`` by ``fname``: [{key, label, value, domain}]."""
        rows = model._read_group(domain, [fname], [aggregate])
        field = model._fields[fname]
        labels = {}
        if field.type == "selection":
            labels = dict(field._description_selection(self.env))
        result = []
        for value, count in rows:
            if field.type == "many2one":
                key = value.id or False
                label = value.display_name if value else _("None")
            else:
                key = value
                label = labels.get(value, _("None")) if value else _("None")
            result.append({
                "key": key,
                "label": label,
                "value": count,
                "model": res_model,
                "domain": domain + [(fname, "=", key)],
            })
        result.sort(key=lambda r: (-r["value"], str(r["label"])))
        if limit:
            result = result[:limit]
        return result

    @api.model
    def _fold(self, model, rows, groupby, fname, domain, res_model, value_index=None):
        """Fold multi-groupby ``rows`` (grouped by ``groupby``) on ``fname``;
        the count is column ``value_index`` (default: right after the groups)."""
        index = groupby.index(fname)
        value_index = len(groupby) if value_index is None else value_index
        counts = defaultdict(int)
        records = {}
        for row in rows:
            value = row[index]
            count = row[value_index]
            if model._fields[fname].type == "many2one":
                records[value.id] = value
                counts[value.id] += count
            else:
                counts[value] += count
        field = model._fields[fname]
        labels = dict(field._description_selection(self.env)) if field.type == "selection" else {}
        result = []
        order = list(labels) if fname == "state" else None
        for key, count in counts.items():
            if field.type == "many2one":
                label = records[key].display_name if key else _("None")
            else:
                label = labels.get(key, _("None")) if key else _("None")
            result.append({
                "key": key or False,
                "label": label,
                "value": count,
                "model": res_model,
                "domain": domain + [(fname, "=", key or False)],
            })
        if order:
            result.sort(key=lambda r: order.index(r["key"]) if r["key"] in order else 99)
        else:
            result.sort(key=lambda r: (-r["value"], str(r["label"])))
        return result

    @api.model
    def _fact(self, flt, fact, lo, hi, period=None, grouped=True):
        """Rows ``{(month, k1, k2): [count, sum, count if]}`` of one fact of
        :mod:`crm_customer_kpi_rollup` for UTC [lo, hi), from the daily
        aggregates when they may answer, else live (record rules apply).
        Without ``period`` nor ``grouped``: one row of totals."""
        return self.env["crm.customer.kpi.rollup"]._read(
            flt, fact, lo, hi, period, flt.get("dirty"), grouped
        )

    @api.model
    def _followup_rows(self, flt, period, light=False):
        """Follow-ups of the period: rows (count, gap sum, gap count), by
        (month key, author, method) first unless ``light``."""
        Followup = self.env["crm.customer.followup"]
        rows = self._fact(flt, "followup", period["start"], period["end"],
                          None if light else period, grouped=not light)
        if light:
            return [(count, gap_sum, gap_count) for count, gap_sum, gap_count in rows.values()]
        Users, Methods = Followup.user_id, Followup.method_id
        return [
            (month, Users.browse(int(user_id) if user_id else ()),
             Methods.browse(int(method_id) if method_id else ()), count, gap_sum, gap_count)
            for (month, user_id, method_id), (count, gap_sum, gap_count) in rows.items()
        ]

    @api.model
    def _customer_base(self, flt, period, domain, fnames):
        """Customers created before the period end counted by each of
        ``fnames``: {fname: [(value, count)]}, values as ``_read_group``
        gives them. From the daily aggregates, or one live GROUPING SETS
        query."""
        if flt.get("dirty") is None:
            return self._customer_grouping_sets(domain, fnames)
        Customer = self.env["crm.customer"]
        facts = {"grade": "cust_grade", "industry_id": "cust_industry",
                 "source_id": "cust_source", "state": "cust_state", "user_id": "new"}
        result = {}
        for fname in fnames:
            counts = defaultdict(int)
            for (_month, key, _key), values in self._fact(
                flt, facts[fname], None, period["end"]
            ).items():
                counts[key] += values[0]
            field = Customer._fields[fname]
            if field.type == "many2one":
                Comodel = self.env[field.comodel_name]
                result[fname] = [(Comodel.browse(int(key) if key else ()), count)
                                 for key, count in counts.items()]
            else:
                result[fname] = [(key or False, count) for key, count in counts.items()]
        return result

    @api.model
    def _customer_grouping_sets(self, domain, fnames):
        """Customers of ``domain`` counted by each of ``fnames`` separately,
        in one query (GROUPING SETS): {fname: [(value, count)]}, values as
        ``_read_group`` gives them (records for many2one fields)."""
        Customer = self.env["crm.customer"]
        query = Customer._search(domain)
        table = query.table
        columns = [SQL.identifier(table, fname) for fname in fnames]
        self.env.cr.execute(SQL(
            "%s GROUP BY GROUPING SETS (%s)",
            query.select(
                *columns,
                SQL("GROUPING(%s)", SQL(", ").join(columns)),
                SQL("count(*)"),
            ),
            SQL(", ").join(columns),
        ))
        result = {fname: [] for fname in fnames}
        last = len(fnames) - 1
        for row in self.env.cr.fetchall():
            grouping, count = row[-2], row[-1]
            # GROUPING() sets bit (last - i) for each column i not grouped
            index = next(i for i in range(len(fnames)) if not grouping & (1 << (last - i)))
            fname = fnames[index]
            value = row[index]
            field = Customer._fields[fname]
            if field.type == "many2one":
                value = self.env[field.comodel_name].browse(value or ())
            elif value is None:
                value = False
            result[fname].append((value, count))
        return result

    @api.model
    def _ledger_moves(self, flt, period, state, ledger, light=False):
        """Customers moved to ``state`` in the period: ({month: n}, total, domain)."""
        if not ledger:
            return {}, None, None
        Ledger = self.env["crm.customer.ledger"]
        domain = self._child_domain(
            flt, [("kind", "=", "state"), ("state_to", "=", state), *self._range("date", period)]
        )
        if flt.get("dirty") is not None:
            # each customer's first move in the month / period: its previous
            # move to the state (k1) is before them
            starts = dict(zip(period["month_keys"], map(str, period["month_start_days"]),
                              strict=True))
            first_day = str(period["date_from"])
            by_month, total = defaultdict(int), 0
            for (month, previous, _owner), (count, _sum, _m) in self._ledger_rows(
                flt, period, state, light
            ).items():
                if _first_since(previous, first_day):
                    total += count
                if month is not None and _first_since(previous, starts[month]):
                    by_month[month] += count
            return ({None: total} if light else dict(by_month)), total, domain
        if light:
            total = Ledger._read_group(domain, [], ["customer_id:count_distinct"])[0][0]
            return {None: total}, total, domain
        # distinct customers per month and over the period, one scan
        query = Ledger._search(domain)
        bucket = self._bucket_sql(period, SQL.identifier(query.table, "date"))
        self.env.cr.execute(SQL(
            "%s GROUP BY GROUPING SETS ((1), ())",
            query.select(
                bucket, SQL("GROUPING(%s)", bucket),
                SQL("count(DISTINCT %s)", SQL.identifier(query.table, "customer_id")),
            ),
        ))
        by_month, total = {}, 0
        for month_bucket, grouping, count in self.env.cr.fetchall():
            if grouping:
                total = count
            else:
                by_month[self._bucket_key(period, month_bucket)] = count
        return by_month, total, domain

    @api.model
    def _active_at(self, flt, period, ledger, new_by_month):
        """Customers existing and not lost at each month start of the period.

        Customers created before the period start (one count), plus the new
        customers of the months before, minus those whose last state move
        before the boundary went to 'lost' (one query on the ledger).
        """
        before = sum(
            values[0] for values in self._fact(flt, "new", None, period["start"], grouped=False).values()
        )
        created = []
        for key in period["month_keys"]:
            created.append(before)
            before += new_by_month.get(key, 0)
        if not ledger:
            return created
        if flt.get("dirty") is not None:
            # the lost moves before the period end by the number of month
            # starts at or before them (w) and their next move's day (k1):
            # lost at the i-th month start when w <= i and k1 is on or after
            starts = [str(day) for day in period["month_start_days"]]
            lost = [0] * len(starts)
            rows = self.env["crm.customer.kpi.rollup"]._read(
                flt, "lost_active", None, period["end"], {"buckets": period["month_start_days"]},
                flt["dirty"],
            )
            for (bucket, next_day, _k2), (count, _sum, _m) in rows.items():
                for index in range(bucket, len(starts)):
                    if next_day is None or next_day >= starts[index]:
                        lost[index] += count
            return [c - l for c, l in zip(created, lost, strict=True)]
        Ledger = self.env["crm.customer.ledger"]
        # the customers not archived, like the base counted above
        query = Ledger._search(self._child_domain(flt, [
            ("kind", "=", "state"), ("state_to", "=", "lost"), ("date", "<", self._dt(period["end"])),
            ("customer_id.active", "=", True),
        ]))
        table = query.table
        # A customer is lost at a month start b when one of its moves to
        # 'lost' is before b and its next status move (stored on the move,
        # next_state_date) is at or after b, or there is none. With w(x) =
        # number of month starts <= x (width_bucket), that lost interval
        # covers the month starts w(date) + 1 .. w(next move): one scan of
        # the lost moves groups them by that range, Python adds them up. A
        # customer's intervals are disjoint, so this counts customers.
        bounds = period["month_starts"]
        size = len(bounds)
        self.env.cr.execute(SQL(
            "%s GROUP BY 1, 2",
            query.select(
                SQL("width_bucket(%s, %s::timestamp[]) + 1", SQL.identifier(table, "date"), bounds),
                SQL("coalesce(width_bucket(%s, %s::timestamp[]), %s)",
                    SQL.identifier(table, "next_state_date"), bounds, size),
                SQL("count(*)"),
            ),
        ))
        lost = [0] * size
        for first, last, count in self.env.cr.fetchall():
            for index in range(first - 1, min(last, size)):
                lost[index] += count
        return [c - l for c, l in zip(created, lost, strict=True)]

    @api.model
    def _days_to_won(self, flt, period, ledger):
        """Days from creation to the first move to 'won' inside the period."""
        if not ledger:
            return 0, 0, {}
        if flt.get("dirty") is not None:
            # each customer's first move to won in the period (k1 before it)
            first_day = str(period["date_from"])
            rows = defaultdict(lambda: [0, 0.0, 0])
            for (month, previous, _owner), (count, total, _m) in self._ledger_rows(
                flt, period, "won"
            ).items():
                if _first_since(previous, first_day):
                    rows[(month, None, None)][0] += count
                    rows[(month, None, None)][1] += total
            return self._sum_count_by_month(rows)
        Ledger = self.env["crm.customer.ledger"]
        query = Ledger._search(self._child_domain(
            flt, [("kind", "=", "state"), ("state_to", "=", "won"), *self._range("date", period)]
        ))
        table = query.table
        sql = SQL(
            """WITH w AS (
                    SELECT l.customer_id, min(l.date) AS date, min(l.created) AS created
                      FROM (%s) l
                     GROUP BY l.customer_id)
               SELECT %s, sum(extract(epoch FROM w.date - w.created)) / 86400.0, count(*)
                 FROM w
                GROUP BY 1""",
            query.select(
                SQL("%s AS customer_id", SQL.identifier(table, "customer_id")),
                SQL("%s AS date", SQL.identifier(table, "date")),
                SQL("%s AS created", SQL.identifier(table, "customer_create_date")),
            ),
            self._bucket_sql(period, SQL("w.date")),
        )
        self.env.cr.execute(sql)
        return self._sum_count_by_month({
            (self._bucket_key(period, bucket), None, None): (count, total, count)
            for bucket, total, count in self.env.cr.fetchall()
        })

    @api.model
    def _sum_count_by_month(self, rows):
        """Fold fact rows ``{(month, k1, k2): [count, total, m]}`` into
        ``(total, count, {month: (total, count)})``."""
        by_month = defaultdict(lambda: (0.0, 0))
        for (month, _k1, _k2), (count, total, _m) in rows.items():
            by_month[month] = (by_month[month][0] + float(total or 0.0), by_month[month][1] + count)
        return (
            sum(v[0] for v in by_month.values()),
            sum(v[1] for v in by_month.values()),
            by_month,
        )

    @api.model
    def _funnel(self, flt, period, new_domain, new_total, ledger):
        """Cohort funnel: customers created in the period, how many reached
        intent (or beyond) and won before the period end."""
        stages = [{
            "key": "potential",
            "label": _("New (potential)"),
            "value": new_total,
            "model": "crm.customer",
            "domain": new_domain,
            "rate": None,
        }]
        if not ledger:
            return stages
        Ledger = self.env["crm.customer.ledger"]
        # the cohort's creation copied on its moves narrows the scan before
        # the customers' own conditions (rules, dimensions, archived) apply
        # ("active" explicit: a many2one's "any" also matches archived
        # records, which the cohort's count leaves out)
        base = [("customer_id", "any", [*new_domain, ("active", "=", True)]), ("kind", "=", "state"),
                ("date", "<", self._dt(period["end"])),
                *self._range("customer_create_date", period)]
        stage_states = {"intent": ("intent", "won"), "won": ("won",)}
        counts = self._funnel_counts(flt, period, base, stage_states)
        previous = new_total
        for key, label in (("intent", _("Reached intent")), ("won", _("Won"))):
            count = counts[key]
            stages.append({
                "key": key,
                "label": label,
                "value": count,
                "model": "crm.customer.ledger",
                "domain": base + [("state_to", "in", list(stage_states[key]))],
                "rate": _ratio(count, previous),
            })
            previous = count
        return stages

    @api.model
    def _funnel_counts(self, flt, period, base, stage_states):
        """Customers of the funnel ``base`` (the period's cohort) that reached
        each stage's states: {stage: count}, one scan, or from the daily
        aggregates of each cohort customer's first move to the stage."""
        Ledger = self.env["crm.customer.ledger"]
        all_states = sorted({state for states in stage_states.values() for state in states})
        if flt.get("dirty") is not None:
            # each cohort customer's first move to the stage, before the end
            end_day = period["date_to"] + timedelta(days=1)
            return {
                stage: sum(values[0] for values in self.env["crm.customer.kpi.rollup"]._read(
                    flt, f"funnel_{stage}", period["start"], period["end"], None, flt["dirty"],
                    grouped=False, k1_below=end_day,
                ).values())
                for stage in stage_states
            }

        def count(domain, ledger=Ledger):
            query = ledger._search(domain + [("state_to", "in", all_states)])
            state_to = SQL.identifier(query.table, "state_to")
            customer = SQL.identifier(query.table, "customer_id")
            self.env.cr.execute(query.select(*(
                SQL("count(DISTINCT %s) FILTER (WHERE %s IN %s)", customer, state_to, states)
                for states in stage_states.values()
            )))
            return dict(zip(stage_states, self.env.cr.fetchone(), strict=True))

        return count(base)

    @api.model
    def _won_by_owner(self, flt, period, ledger):
        if not ledger:
            return []
        if flt.get("dirty") is not None:
            first_day = str(period["date_from"])
            owners = defaultdict(int)
            for (_month, previous, owner), (count, _sum, _m) in self._ledger_rows(
                flt, period, "won"
            ).items():
                if _first_since(previous, first_day):
                    owners[int(owner) if owner else False] += count
            return list(owners.items())
        Ledger = self.env["crm.customer.ledger"]
        query = Ledger._search(self._child_domain(
            flt, [("kind", "=", "state"), ("state_to", "=", "won"), *self._range("date", period)]
        ))
        table = query.table
        self.env.cr.execute(SQL(
            """SELECT c.user_id, count(DISTINCT l.customer_id)
                 FROM (%s) l JOIN crm_customer c ON c.id = l.customer_id
                GROUP BY c.user_id""",
            query.select(SQL("%s AS customer_id", SQL.identifier(table, "customer_id"))),
        ))
        return [(user_id or False, count) for user_id, count in self.env.cr.fetchall()]

    @api.model
    def _ledger_rows(self, flt, period, state, light=False):
        """Rows of the ledger fact ``state`` (won, lost) for the period, by
        month unless ``light``, and by keys (read once per period)."""
        cache = flt.setdefault("ledger_rows", {})
        key = (state, period["start"], light)
        if key not in cache:
            cache[key] = self._fact(flt, state, period["start"], period["end"],
                                    None if light else period)
        return cache[key]

    @api.model
    def _forgotten(self, flt):
        """Customers (not lost) without follow-up for 7/15/30/90/180 days."""
        Customer = self.env["crm.customer"]
        now = fields.Datetime.now()
        domain = flt["customer_domain"] + [("state", "!=", "lost")]
        if flt.get("dirty") is not None:
            values = [
                sum(v[0] for v in self._fact(
                    flt, "idle", None, now - timedelta(days=days), grouped=False
                ).values())
                for days in FORGOTTEN_DAYS
            ]
        else:
            query = Customer._search(domain)
            last = SQL(
                "coalesce(%s, %s)",
                SQL.identifier(query.table, "last_followup_date"),
                SQL.identifier(query.table, "create_date"),
            )
            counts = SQL(", ").join(
                SQL("count(*) FILTER (WHERE %s < %s)", last, now - timedelta(days=days))
                for days in FORGOTTEN_DAYS
            )
            self.env.cr.execute(query.select(counts))
            values = self.env.cr.fetchone()
        result = []
        for days, count in zip(FORGOTTEN_DAYS, values, strict=True):
            limit = self._dt(now - timedelta(days=days))
            result.append({
                "key": days,
                "label": _("%(days)s+ days", days=days),
                "value": count,
                "model": "crm.customer",
                "domain": domain + [
                    "|",
                    ("last_followup_date", "<", limit),
                    "&", ("last_followup_date", "=", False), ("create_date", "<", limit),
                ],
            })
        return result

    @api.model
    def _change(self, value, previous):
        if value is None or previous is None:
            return None
        if not previous:
            return None
        return round(100.0 * (value - previous) / abs(previous), 1)

    # ------------------------------------------------------------
    # TOOLING
    # ------------------------------------------------------------

    @api.model
    def _tile_labels(self):
        """Translated tile titles, in display order (dashboard, PDF, XLSX)."""
        return [
            ("new_customers", _("New customers")),
            ("won_customers", _("Won customers")),
            ("conversion_rate", _("Conversion rate")),
            ("avg_followup_cycle", _("Average follow-up cycle")),
            ("avg_days_to_won", _("Average days to won")),
            ("churn_rate", _("Churn rate")),
            ("lost_customers", _("Lost customers")),
            ("active_at_start", _("Active customers at period start")),
            ("followup_count", _("Follow-ups")),
            ("followup_compliance_24h", _("24-hour follow-up compliance")),
            ("need_count", _("Needs")),
            ("avg_need_done_days", _("Average days to close a need")),
            ("feedback_count", _("Feedback")),
            ("satisfaction_avg", _("Average satisfaction")),
        ]

    @api.model
    def _breakdown_labels(self):
        return [
            ("customers_by_grade", _("Customers by grade")),
            ("customers_by_industry", _("Customers by industry")),
            ("customers_by_source", _("Customers by source")),
            ("customers_by_state", _("Customers by status")),
            ("followups_by_user", _("Follow-ups by salesperson")),
            ("followups_by_method", _("Follow-ups by method")),
            ("needs_by_state", _("Needs by status")),
            ("needs_by_priority", _("Needs by priority")),
            ("feedback_by_type", _("Feedback by type")),
            ("satisfaction", _("Satisfaction distribution")),
            ("lost_reasons", _("Top lost reasons")),
        ]

    @api.model
    def _format_value(self, tile):
        value = tile.get("value")
        if value is None:
            return "—"
        if tile.get("format") == "float":
            text = f"{value:.2f}" if tile.get("unit") == "/5" else f"{value:.1f}"
        else:
            text = str(value)
        unit = tile.get("unit") or ""
        if unit in ("%", "/5"):
            return text + unit
        if unit:
            return f"{text} {unit}"
        return text
