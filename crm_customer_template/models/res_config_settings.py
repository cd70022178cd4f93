# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

PARAM_PREFIX = "crm_customer_template."

# every setting of the lifecycle rules: (field, default)
LIFECYCLE_DEFAULTS = {
    "followup_entry_hours": 24,
    "no_followup_days_a": 7,
    "no_followup_days_b": 15,
    "no_followup_days_c": 30,
    "pool_lock_limit": 5,
    "verify_days": 90,
}


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # Follow-up rules
    crm_customer_followup_entry_hours = fields.Integer(
        string="Follow-up Entry Deadline (hours)",
        config_parameter="crm_customer_template.followup_entry_hours",
        default=LIFECYCLE_DEFAULTS["followup_entry_hours"],
        help="A follow-up logged more than this many hours after it happened is flagged as late.",
    )
    crm_customer_no_followup_days_a = fields.Integer(
        string="Days without Follow-up (grade A)",
        config_parameter="crm_customer_template.no_followup_days_a",
        default=LIFECYCLE_DEFAULTS["no_followup_days_a"],
    )
    crm_customer_no_followup_days_b = fields.Integer(
        string="Days without Follow-up (grade B)",
        config_parameter="crm_customer_template.no_followup_days_b",
        default=LIFECYCLE_DEFAULTS["no_followup_days_b"],
    )
    crm_customer_no_followup_days_c = fields.Integer(
        string="Days without Follow-up (grade C or none)",
        config_parameter="crm_customer_template.no_followup_days_c",
        default=LIFECYCLE_DEFAULTS["no_followup_days_c"],
    )

    # Public pool
    crm_customer_pool_lock_limit = fields.Integer(
        string="Locked Customers per Salesperson",
        config_parameter="crm_customer_template.pool_lock_limit",
        default=LIFECYCLE_DEFAULTS["pool_lock_limit"],
        help="How many of their customers a salesperson may lock against the automatic return to the pool.",
    )

    # Data quality
    crm_customer_duplicate_mode = fields.Selection(
        [("warn", "Warn"), ("block", "Block")],
        string="Duplicate Customers",
        config_parameter="crm_customer_template.duplicate_mode",
        default="warn",
        help="Warn: the form shows that a duplicate exists. Block: saving a duplicate is refused.",
    )
    crm_customer_verify_days = fields.Integer(
        string="Data Check Every (days)",
        config_parameter="crm_customer_template.verify_days",
        default=LIFECYCLE_DEFAULTS["verify_days"],
        help="Owners get a review activity for customers whose data was not verified for this many days.",
    )

    @api.model
    def _crm_duplicate_mode(self):
        mode = self.env["ir.config_parameter"].sudo().get_param(PARAM_PREFIX + "duplicate_mode")
        return mode if mode in ("warn", "block") else "warn"

    @api.model
    def _crm_customer_param(self, key):
        """The integer value of a lifecycle setting (its default when unset
        or invalid)."""
        default = LIFECYCLE_DEFAULTS[key]
        value = self.env["ir.config_parameter"].sudo().get_param(PARAM_PREFIX + key)
        try:
            return int(value) if value not in (None, False, "") else default
        except ValueError:
            return default
