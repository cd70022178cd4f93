# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Customers and the public pool (客户公海): release, warning, lock, claim,
assign and transfer. Every move writes a ledger row."""
from datetime import datetime, time, timedelta

import pytz
from markupsafe import Markup, escape
from psycopg2 import errors as pg_errors

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL, split_every

from .crm_customer_lifecycle import TRANSITION_CONTEXT_KEY, TRANSITION_TOKEN

# fields only the pool methods write (through _pool_write)
POOL_FIELDS = frozenset(
    {"in_pool", "pool_entry_date", "owner_since", "is_locked", "extension_until", "release_warned", "verified_on",
     "lifecycle_stage", "lifecycle_stage_date", "value_score"}
)
RELEASE_BATCH = 1000


class CrmCustomer(models.Model):
    _inherit = "crm.customer"

    # the owner is empty while the customer waits in its pool
    user_id = fields.Many2one(required=False)

    pool_id = fields.Many2one(
        "crm.customer.pool",
        string="Pool",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        compute="_compute_pool_id",
        store=True,
        precompute=True,
        readonly=False,
        help="Public pool the customer returns to when its owner does not work it.",
    )
    in_pool = fields.Boolean(string="In Public Pool", readonly=True, copy=False, index=True)
    pool_entry_date = fields.Datetime(string="Returned to Pool On", readonly=True, copy=False)
    owner_since = fields.Datetime(
        string="Owner Since", readonly=True, copy=False, default=fields.Datetime.now,
        help="When the current owner got the customer; return rules count from here.",
    )  # fmt: skip
    is_locked = fields.Boolean(string="Locked", readonly=True, copy=False, tracking=True,
                               help="A locked customer never returns to the pool.")  # fmt: skip
    extension_until = fields.Date(string="Kept Until", readonly=True, copy=False, tracking=True)
    release_warned = fields.Boolean(readonly=True, copy=False)

    # ------------------------------------------------------------
    # COMPUTE / CONSTRAINTS
    # ------------------------------------------------------------

    @api.depends("team_id")
    def _compute_pool_id(self):
        pools = self.env["crm.customer.pool"].sudo().search(
            ["|", ("team_id", "in", self.team_id.ids), ("team_id", "=", False)]
        )
        by_team = {pool.team_id.id: pool for pool in pools if pool.team_id}
        default_by_company = {}
        for pool in pools.filtered(lambda pool: not pool.team_id):
            default_by_company.setdefault(pool.company_id.id, pool)
        for customer in self:
            if customer.pool_id and (customer.in_pool or not customer.team_id or not customer.pool_id.team_id):
                # waiting in its pool, without team, or a pool chosen by hand: keep it
                customer.pool_id = customer.pool_id
                continue
            customer.pool_id = (
                by_team.get(customer.team_id.id) or customer.pool_id or default_by_company.get(customer.company_id.id)
            )

    @api.constrains(lambda self: self._crm_required_fields)
    def _check_crm_required_fields(self):
        if self.env.context.get(TRANSITION_CONTEXT_KEY) is TRANSITION_TOKEN:
            # status, evidence and pool writes of the lifecycle methods set no
            # empty required value; skipping the check spares decrypting the
            # contact data of every customer of a batch
            return
        # a customer waiting in its pool has no owner
        pooled = self.filtered(lambda customer: customer.in_pool)
        super(CrmCustomer, self - pooled)._check_crm_required_fields()
        for customer in pooled:
            for fname in self._crm_required_fields:
                if fname != "user_id" and self._crm_is_empty(customer[fname]):
                    raise ValidationError(self._crm_required_message(fname))

    def _crm_check_required_vals(self, vals_list, creating):
        # a release (pool method) empties the owner together with in_pool
        if not creating and self._transition_allowed():
            vals_list = [
                {key: value for key, value in vals.items() if key != "user_id" or not vals.get("in_pool")}
                for vals in vals_list
            ]
        return super()._crm_check_required_vals(vals_list, creating)

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self._transition_allowed():
            self = self._without_context_defaults(POOL_FIELDS)
            for vals in vals_list:
                if any(vals.get(fname) for fname in POOL_FIELDS - {"owner_since"}):
                    raise UserError(self._pool_only_message())
                vals.pop("owner_since", None)
        return super().create(vals_list)

    def write(self, vals):
        if self._transition_allowed():
            return super().write(vals)
        if POOL_FIELDS & vals.keys():
            raise UserError(self._pool_only_message())
        if "user_id" not in vals:
            return super().write(vals)
        if not vals["user_id"]:
            # refused by the required-field check (the pool actions empty it)
            return super().write(vals)
        new_user = self.env["res.users"].browse(vals["user_id"])
        if any(customer.in_pool for customer in self):
            raise UserError(_("A customer in the pool is claimed or assigned, not edited."))
        moved = self.filtered(lambda customer: customer.user_id != new_user)
        previous = {customer.id: customer.user_id.id for customer in moved}
        res = super().write(dict(vals, owner_since=fields.Datetime.now(), release_warned=False)
                            if moved == self else vals)  # fmt: skip
        if moved and moved != self:
            moved._pool_write({"owner_since": fields.Datetime.now(), "release_warned": False})
        self.env["crm.customer.ledger"]._log(
            moved, "owner", pool_move="transfer", user_from_id=previous, user_to_id=new_user.id,
            evidence=_("Owner changed on the customer form"),
        )  # fmt: skip
        return res

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_pool_claim(self):
        """Take customers from the pool: member of their pool, within the
        daily claim limit, the ownership cap and the reclaim cooldown. Two
        users claiming the same customer at once: exactly one gets it."""
        user = self.env.user
        customers = self.sudo()
        for pool in customers.pool_id:
            if not pool._is_pool_member(user):
                raise AccessError(_("You are not a member of pool %(pool)s.", pool=pool.display_name))
        if any(not customer.pool_id for customer in customers):
            raise UserError(_("Only customers in a pool can be claimed."))
        current = customers._lock_pool_rows()
        taken = customers.filtered(lambda customer: not current[customer.id]["in_pool"])
        if taken:
            # name only what the caller may read: ids of other salespeople's
            # customers sent over RPC must not disclose their names
            readable = taken.with_env(self.env)._filtered_access("read")
            if len(readable) < len(taken):
                raise UserError(_("These customers are no longer in the pool: someone claimed them first."))
            raise UserError(
                _("%(customers)s is no longer in the pool: someone claimed it first.",
                  customers=", ".join(taken[:5].mapped("display_name")))  # fmt: skip
            )
        Ledger = self.env["crm.customer.ledger"].sudo()
        now = fields.Datetime.now()
        for pool in customers.pool_id:
            batch = customers.filtered(lambda customer, pool=pool: customer.pool_id == pool)
            if pool.daily_claim_limit:
                claimed_today = Ledger.search_count([
                    ("kind", "=", "pool"), ("pool_move", "=", "claim"), ("user_to_id", "=", user.id),
                    ("date", ">=", self._pool_start_of_day(user)),
                ])  # fmt: skip
                if claimed_today + len(batch) > pool.daily_claim_limit:
                    raise UserError(
                        _("Daily claim limit reached: %(done)s of %(limit)s claimed today in %(pool)s.",
                          done=claimed_today, limit=pool.daily_claim_limit, pool=pool.display_name)  # fmt: skip
                    )
            if pool.max_owned:
                owned = self.sudo().search_count([("user_id", "=", user.id)])
                if owned + len(batch) > pool.max_owned:
                    raise UserError(
                        _("You own %(owned)s customers; %(pool)s allows at most %(cap)s.",
                          owned=owned, pool=pool.display_name, cap=pool.max_owned)  # fmt: skip
                    )
            if pool.cooldown_days:
                recent = Ledger.search([
                    ("customer_id", "in", batch.ids), ("kind", "=", "pool"), ("pool_move", "=", "release"),
                    ("user_from_id", "=", user.id), ("date", ">", now - timedelta(days=pool.cooldown_days)),
                ], limit=1)  # fmt: skip
                if recent:
                    raise UserError(
                        _("You released %(customer)s less than %(days)s days ago and cannot claim it again yet.",
                          customer=recent.customer_id.display_name, days=pool.cooldown_days)  # fmt: skip
                    )
        customers._pool_set_owner(user, "claim", _("Claimed from the pool"))
        return True

    def action_pool_release(self):
        """The owner (or a manager) returns customers to their pool now."""
        self.check_access("write")
        if any(not customer.pool_id for customer in self):
            raise UserError(_("Choose the customer's pool before returning it."))
        if any(customer.in_pool for customer in self):
            raise UserError(_("These customers are already in the pool."))
        self.sudo()._pool_release(_("Returned by %(user)s", user=self.env.user.name))
        return True

    def action_pool_lock(self):
        """Keep own customers out of the automatic return (limited per user)."""
        self.check_access("write")
        user = self.env.user
        if any(customer.user_id != user for customer in self):
            raise UserError(_("You can only lock your own customers."))
        limit = self.env["res.config.settings"]._crm_customer_param("pool_lock_limit")
        to_lock = self.filtered(lambda customer: not customer.is_locked)
        locked = self.sudo().search_count([("user_id", "=", user.id), ("is_locked", "=", True)])
        if locked + len(to_lock) > limit:
            raise UserError(
                _("You may lock at most %(limit)s customers; %(locked)s are locked already.",
                  limit=limit, locked=locked)  # fmt: skip
            )
        to_lock._pool_write({"is_locked": True})
        self.env["crm.customer.ledger"]._log(to_lock, "pool", pool_move="lock", user_from_id=user.id, user_to_id=user.id)
        return True

    def action_pool_unlock(self):
        self.check_access("write")
        to_unlock = self.filtered("is_locked")
        to_unlock._pool_write({"is_locked": False})
        self.env["crm.customer.ledger"]._log(
            to_unlock, "pool", pool_move="unlock", user_from_id={c.id: c.user_id.id for c in to_unlock},
            user_to_id={c.id: c.user_id.id for c in to_unlock},
        )  # fmt: skip
        return True

    def action_pool_request_extension(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Ask for an Extension"),
            "res_model": "crm.customer.pool.extension",
            "view_mode": "form",
            "target": "new",
            "context": {"default_customer_id": self.id},
        }

    def action_pool_assign(self):
        return self._action_open_wizard("crm_customer_template.crm_customer_assign_action")

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _pool_assign(self, user, reason):
        """Give ``self`` to ``user``: an assignment for pool customers, a
        transfer for owned ones. Pool managers and customer managers only."""
        reason = (reason or "").strip()
        if not reason:
            raise UserError(_("Give the reason of the assignment."))
        if not user or user.share:
            raise UserError(_("Choose an internal user as the new owner."))
        customers = self.sudo()
        for pool in customers.pool_id:
            if not pool._is_pool_manager():
                raise AccessError(_("Only a manager of pool %(pool)s can assign its customers.", pool=pool.display_name))
        if not customers.pool_id._is_pool_manager() or (
            customers.filtered(lambda customer: not customer.pool_id)
            and not self.env.user.has_group("crm_customer_template.group_crm_customer_manager")
        ):
            raise AccessError(_("Only a customer manager can assign customers."))
        current = customers._lock_pool_rows()
        from_pool = customers.filtered(lambda customer: current[customer.id]["in_pool"])
        from_pool._pool_set_owner(user, "assign", reason)
        (customers - from_pool)._pool_set_owner(user, "transfer", reason)

    def _pool_set_owner(self, user, move, reason):
        """Write the new owner (sudo, checks done by the caller) and log."""
        previous = {customer.id: customer.user_id.id for customer in self}
        if not self:
            return
        self.activity_ids.filtered(lambda activity: activity.user_id != user).write({"user_id": user.id})
        self._pool_write({
            "user_id": user.id, "in_pool": False, "pool_entry_date": False, "owner_since": fields.Datetime.now(),
            "release_warned": False, "extension_until": False,
        })  # fmt: skip
        kind = "owner" if move == "transfer" else "pool"
        self.env["crm.customer.ledger"]._log(
            self, kind, pool_move=move, user_from_id=previous, user_to_id=user.id, evidence=reason[:255]
        )

    def _pool_release(self, evidence):
        """Return ``self`` (sudo) to their pools: no owner, activities
        removed, one ledger row each."""
        previous = {customer.id: customer.user_id.id for customer in self}
        self.activity_ids.unlink()
        self._pool_write({
            "user_id": False, "in_pool": True, "pool_entry_date": fields.Datetime.now(),
            "is_locked": False, "extension_until": False, "release_warned": False,
        })  # fmt: skip
        self.env["crm.customer.ledger"]._log(
            self, "pool", pool_move="release", user_from_id=previous, user_to_id=False, evidence=evidence
        )

    def _pool_write(self, vals):
        return self.with_context(**{TRANSITION_CONTEXT_KEY: TRANSITION_TOKEN}).write(vals)

    def _lock_pool_rows(self):
        self.flush_recordset(["user_id", "in_pool"])
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(SQL(
                    "SELECT id, user_id, in_pool FROM crm_customer WHERE id IN %s FOR UPDATE NOWAIT",
                    tuple(self.ids),
                ))  # fmt: skip
                return {row[0]: {"user_id": row[1], "in_pool": row[2]} for row in self.env.cr.fetchall()}
        except pg_errors.LockNotAvailable:
            raise UserError(
                _("Another user is taking or moving one of these customers right now. Nothing was changed; "
                  "please try again.")  # fmt: skip
            ) from None

    @api.model
    def _pool_start_of_day(self, user):
        tz = pytz.timezone(user.tz or self.env.context.get("tz") or "UTC")
        local_now = pytz.utc.localize(fields.Datetime.now()).astimezone(tz)
        start = tz.localize(datetime.combine(local_now.date(), time.min))
        return start.astimezone(pytz.utc).replace(tzinfo=None)

    @api.model
    def _pool_release_domain(self, pool, rule, grades, shift_days=0):
        """Owned customers of ``pool`` with a grade in ``grades`` that the rule
        returns (``shift_days`` ahead, for the warning)."""
        now = fields.Datetime.now() + timedelta(days=shift_days)
        today = fields.Date.context_today(self) + timedelta(days=shift_days)
        conditions = []
        if rule.no_followup_days:
            cutoff = now - timedelta(days=rule.no_followup_days)
            conditions.append([
                ("owner_since", "<", cutoff),
                "|", ("last_followup_date", "=", False), ("last_followup_date", "<", cutoff),
            ])  # fmt: skip
        if rule.not_won_days:
            conditions.append([("owner_since", "<", now - timedelta(days=rule.not_won_days))])
        if not conditions:
            return expression.FALSE_DOMAIN
        return expression.AND([
            [("pool_id", "=", pool.id), ("grade", "in", grades), ("in_pool", "=", False),
             ("user_id", "!=", False), ("state", "!=", "won"), ("is_locked", "=", False),
             "|", ("extension_until", "=", False), ("extension_until", "<", today)],
            expression.OR(conditions),
        ])  # fmt: skip

    @api.model
    def _pool_rule_grades(self, pool):
        """[(rule, grades)] with the grade-less rule covering the other grades."""
        specific = {rule.grade: rule for rule in pool.rule_ids if rule.grade}
        generic = pool.rule_ids.filtered(lambda rule: not rule.grade)[:1]
        result = [(rule, [grade]) for grade, rule in specific.items()]
        if generic:
            result.append((generic, [grade for grade in ("a", "b", "c", False) if grade not in specific]))
        return result

    @api.model
    def _cron_pool_release(self):
        """Daily: warn owners ``warning_days`` ahead, then return the customers
        due. Idempotent (returned customers are no longer owned; a warned
        customer is not warned again) and batched."""
        Customer = self.sudo().with_context(active_test=True)
        pools = self.env["crm.customer.pool"].sudo().search([])
        released = Customer.browse()
        for pool in pools:
            for rule, grades in self._pool_rule_grades(pool):
                due = Customer.search(self._pool_release_domain(pool, rule, grades))
                for batch_ids in split_every(RELEASE_BATCH, due.ids):
                    batch = Customer.browse(batch_ids)
                    batch._pool_release(_("Automatic return: rule of %(pool)s", pool=pool.display_name))
                    released |= batch
                    self.env["ir.cron"]._notify_progress(done=len(released), remaining=len(due) - len(batch))
                if pool.warning_days:
                    soon = Customer.search(expression.AND([
                        self._pool_release_domain(pool, rule, grades, shift_days=pool.warning_days),
                        [("release_warned", "=", False)],
                    ]))  # fmt: skip
                    soon._pool_warn_owners(pool)
        return released

    def _pool_warn_owners(self, pool):
        """One activity per owner (on the pool) listing the customers that
        will return, then mark them warned."""
        if not self:
            return
        activity_type = self.env.ref("crm_customer_template.mail_activity_type_crm_customer_pool_warning")
        model_id = self.env["ir.model"]._get_id("crm.customer.pool")
        deadline = fields.Date.context_today(self) + timedelta(days=pool.warning_days)
        vals_list = []
        for owner in self.user_id:
            customers = self.filtered(lambda customer, owner=owner: customer.user_id == owner)
            items = Markup("").join(
                Markup("<li>%s</li>") % escape(customer.display_name) for customer in customers
            )
            vals_list.append({
                "activity_type_id": activity_type.id, "res_model_id": model_id, "res_id": pool.id,
                "user_id": owner.id, "date_deadline": deadline, "automated": True,
                "summary": _("%(count)s customer(s) return to %(pool)s on %(date)s",
                             count=len(customers), pool=pool.display_name, date=deadline),
                "note": Markup("<p>%s</p><ul>%s</ul>") % (
                    _("Log a follow-up, win them, lock them or ask for an extension to keep them:"), items),
            })  # fmt: skip
        self.env["mail.activity"].sudo().create(vals_list)
        self._pool_write({"release_warned": True})

    def _pool_only_message(self):
        return _(
            "In pool, locked, kept until and data verified on change only through their actions "
            "(pool actions, Confirm Data)."
        )
