# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

CUSTOMER_STATES = [
    ("potential", "Potential"),
    ("intent", "Intent"),
    ("won", "Won"),
    ("lost", "Lost"),
]

LIFECYCLE_STAGES = [
    ("new", "New"),
    ("active", "Active"),
    ("silent", "Silent"),
    ("churned", "Churned"),
]

POOL_MOVES = [
    ("release", "Released to pool"),
    ("claim", "Claimed from pool"),
    ("assign", "Assigned"),
    ("transfer", "Transferred"),
    ("lock", "Locked"),
    ("unlock", "Unlocked"),
    ("extension", "Extension granted"),
    ("merge", "Merged"),
]


class CrmCustomerLedger(models.Model):
    """Append-only ledger of customer status, owner, pool and lifecycle moves.

    Rows are written only through :meth:`_log` (batch, as superuser after the
    caller's own checks); nobody can change or delete them through the ORM.
    Reports compute conversion and churn from this table.
    """

    _name = "crm.customer.ledger"
    _description = "Customer Transition Ledger"
    _order = "date desc, id desc"
    _rec_name = "customer_id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    customer_id = fields.Many2one(
        "crm.customer",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    company_id = fields.Many2one(
        related="customer_id.company_id",
        store=True,
        index=True,
        readonly=True,
    )
    kind = fields.Selection(
        [
            ("state", "Status change"),
            ("owner", "Owner change"),
            ("pool", "Pool move"),
            ("lifecycle", "Lifecycle stage"),
        ],
        required=True,
        index=True,
        readonly=True,
    )
    state_from = fields.Selection(CUSTOMER_STATES, string="From Status", readonly=True)
    state_to = fields.Selection(
        CUSTOMER_STATES, string="To Status", index=True, readonly=True
    )
    user_from_id = fields.Many2one(
        "res.users", string="Previous Owner", readonly=True, index="btree_not_null"
    )
    user_to_id = fields.Many2one(
        "res.users", string="New Owner", readonly=True, index="btree_not_null"
    )
    user_id = fields.Many2one(
        "res.users",
        string="Done By",
        default=lambda self: self.env.uid,
        readonly=True,
        index=True,
    )
    date = fields.Datetime(
        required=True, default=fields.Datetime.now, index=True, readonly=True
    )
    evidence = fields.Char(readonly=True)
    lost_reason_id = fields.Many2one(
        "crm.customer.lost.reason", string="Lost Reason", readonly=True
    )
    # Details beyond the shared contract (pool moves and lifecycle stages)
    pool_move = fields.Selection(POOL_MOVES, readonly=True)
    pool_id = fields.Many2one("crm.customer.pool", string="Pool", readonly=True, index="btree_not_null")
    stage_from = fields.Selection(LIFECYCLE_STAGES, readonly=True)
    stage_to = fields.Selection(LIFECYCLE_STAGES, readonly=True)

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    def write(self, vals):
        raise UserError(_("The customer ledger is append-only: its rows cannot be changed."))

    @api.ondelete(at_uninstall=False)
    def _unlink_except_append_only(self):
        raise UserError(_("The customer ledger is append-only: its rows cannot be deleted."))

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _log(self, customers, kind, **vals):
        """Write one ledger row per customer of ``customers`` (one create).

        Each keyword is a ledger field; its value is either the same for every
        customer or a ``dict`` mapping a customer id to that customer's value.
        Callers check the move (access, allowed states) before calling this;
        the write itself runs as superuser because nobody has create rights on
        the ledger. Returns the new rows (superuser environment).
        """
        if not customers:
            return self.browse()
        uid = self.env.uid
        vals_list = []
        for customer in customers:
            row = {"customer_id": customer.id, "kind": kind, "user_id": uid}
            if kind == "pool" and "pool_id" not in vals:
                row["pool_id"] = customer.pool_id.id
            for fname, value in vals.items():
                if isinstance(value, dict):
                    value = value.get(customer.id, False)
                if isinstance(value, models.BaseModel):
                    value = value.id
                row[fname] = value
            vals_list.append(row)
        return self.sudo().create(vals_list)

    @api.model
    def _log_initial_states(self):
        """Give customers created directly in a status other than potential
        (data files, demo data) their first ledger row, dated at creation, so
        that reports find every customer's current status in the ledger.
        Idempotent."""
        logged = self.sudo().search([("kind", "=", "state")]).customer_id
        customers = self.env["crm.customer"].sudo().with_context(active_test=False).search(
            [("state", "!=", "potential"), ("id", "not in", logged.ids)]
        )
        return self._log(
            customers, "state", state_from=False, state_to={c.id: c.state for c in customers},
            date={c.id: c.create_date for c in customers}, evidence=_("Initial status"),
        )  # fmt: skip
