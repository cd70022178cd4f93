# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class CrmCustomerPool(models.Model):
    """Public pool (客户公海): customers without owner that members may claim."""

    _name = "crm.customer.pool"
    _description = "Customer Public Pool"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    team_id = fields.Many2one(
        "crm.team", string="Sales Team", check_company=True, index="btree_not_null",
        help="Customers of this team's salespeople belong to this pool by default.",
    )
    member_ids = fields.Many2many(
        "res.users", "crm_customer_pool_member_rel", "pool_id", "user_id",
        string="Members", domain="[('share', '=', False)]",
        help="Salespeople who see the pool and may claim from it.",
    )
    manager_ids = fields.Many2many(
        "res.users", "crm_customer_pool_manager_rel", "pool_id", "user_id",
        string="Managers", domain="[('share', '=', False)]",
        help="May assign and transfer the pool's customers and decide on extension requests.",
    )
    rule_ids = fields.One2many("crm.customer.pool.rule", "pool_id", string="Return Rules", copy=True)
    daily_claim_limit = fields.Integer(
        string="Daily Claim Limit", default=10, help="Customers a member may claim per day (0: no limit)."
    )
    max_owned = fields.Integer(
        string="Ownership Cap", default=200,
        help="A member cannot claim when owning this many customers (0: no cap).",
    )
    cooldown_days = fields.Integer(
        string="Reclaim Cooldown (days)", default=7,
        help="The previous owner of a returned customer cannot claim it again for this many days.",
    )
    warning_days = fields.Integer(
        string="Warning (days before return)", default=3,
        help="Owners get an activity listing their customers that will return to the pool this many days ahead.",
    )
    customer_ids = fields.One2many("crm.customer", "pool_id", string="Customers")
    pool_customer_count = fields.Integer(string="In Pool", compute="_compute_pool_customer_count")

    _sql_constraints = [
        ("limits_positive",
         "CHECK(daily_claim_limit >= 0 AND max_owned >= 0 AND cooldown_days >= 0 AND warning_days >= 0)",
         "Pool limits cannot be negative."),
    ]  # fmt: skip

    def _compute_pool_customer_count(self):
        counts = dict(
            self.env["crm.customer"]._read_group(
                [("pool_id", "in", self.ids), ("in_pool", "=", True)], ["pool_id"], ["__count"]
            )
        )
        for pool in self:
            pool.pool_customer_count = counts.get(pool, 0)

    @api.constrains("team_id", "company_id", "active")
    def _check_one_pool_per_team(self):
        for pool in self.filtered("team_id"):
            if self.search_count([("team_id", "=", pool.team_id.id), ("id", "!=", pool.id)]):
                raise ValidationError(
                    _("Sales team %(team)s already has a pool.", team=pool.team_id.display_name)
                )

    def _is_pool_manager(self, user=None):
        """True when ``user`` manages every pool of ``self`` (customer managers manage all)."""
        user = user or self.env.user
        if user.has_group("crm_customer_template.group_crm_customer_manager"):
            return True
        return all(user in pool.sudo().manager_ids for pool in self)

    def _is_pool_member(self, user=None):
        user = user or self.env.user
        return all(user in (pool.sudo().member_ids | pool.sudo().manager_ids) for pool in self)

    def action_view_pool_customers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_customer_template.crm_customer_pool_customers_action"
        )
        action["domain"] = [("in_pool", "=", True), ("pool_id", "=", self.id)]
        return action
