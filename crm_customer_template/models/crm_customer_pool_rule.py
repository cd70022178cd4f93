# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CrmCustomerPoolRule(models.Model):
    """When an owned customer returns to its pool, per pool and per grade."""

    _name = "crm.customer.pool.rule"
    _description = "Customer Pool Return Rule"
    _order = "pool_id, grade"

    pool_id = fields.Many2one("crm.customer.pool", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="pool_id.company_id", store=True, index=True)
    grade = fields.Selection(
        [("a", "A - High value"), ("b", "B - Medium"), ("c", "C - Low")],
        help="Empty: every grade without a rule of its own (and customers without grade).",
    )
    no_followup_days = fields.Integer(
        string="Days without Follow-up", default=30,
        help="Return a customer whose last follow-up (or assignment) is older than this (0: never).",
    )
    not_won_days = fields.Integer(
        string="Days without Deal", default=90,
        help="Return a customer not won this many days after it was assigned to its owner (0: never).",
    )

    _sql_constraints = [
        ("pool_grade_unique", "UNIQUE NULLS NOT DISTINCT(pool_id, grade)", "A pool has one rule per grade."),
        ("days_positive", "CHECK(no_followup_days >= 0 AND not_won_days >= 0)", "Days cannot be negative."),
    ]
