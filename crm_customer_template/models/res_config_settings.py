# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models

from .crm_customer_log import (
    DEFAULT_EXPORT_LIMIT,
    DEFAULT_REVEAL_ALERT,
    DEFAULT_REVEAL_LIMIT,
)

PARAM_PREFIX = "crm_customer_template."

# every setting of the lifecycle rules: (field, default)
LIFECYCLE_DEFAULTS = {
    "followup_entry_hours": 24,
    "no_followup_days_a": 7,
    "no_followup_days_b": 15,
    "no_followup_days_c": 30,
    "pool_lock_limit": 5,
    "verify_days": 90,
    "stage_new_days": 30,
    "stage_active_days": 30,
    "stage_churn_days": 90,
    "score_weight_grade": 40,
    "score_weight_frequency": 30,
    "score_weight_won": 20,
    "score_weight_satisfaction": 10,
    "satisfaction_threshold": 2,
    "need_hours_high": 4,
    "need_hours_medium": 24,
    "need_hours_low": 72,
}


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # Data protection (issue 4)
    crm_customer_restrict_owner_full_contact = fields.Boolean(
        string="Restrict full contact data to the right",
        config_parameter="crm_customer_template.restrict_owner_full_contact",
        help="When set, owners see the phone numbers of their own customers masked "
        "unless they hold the View full contact data right.",
    )
    crm_customer_reveal_daily_limit = fields.Integer(
        string="Reveals per user per day",
        config_parameter="crm_customer_template.reveal_daily_limit",
        default=DEFAULT_REVEAL_LIMIT,
    )
    crm_customer_reveal_alert_threshold = fields.Integer(
        string="Alert above reveals per user per day",
        config_parameter="crm_customer_template.reveal_alert_threshold",
        default=DEFAULT_REVEAL_ALERT,
    )
    crm_customer_export_alert_rows = fields.Integer(
        string="Alert above exported rows per user per day",
        config_parameter="crm_customer_template.export_alert_rows",
        default=DEFAULT_EXPORT_LIMIT,
    )

    # ------------------------------------------------------------------
    # Backup (issue 8). Stored on the OCA auto_backup record
    # ``db_backup_crm_customer`` and on the backup cron.
    # ------------------------------------------------------------------
    crm_backup_enabled = fields.Boolean(
        string="Automatic daily backup",
        help="Back up the database every day at the time below.",
    )
    crm_backup_time = fields.Float(string="Backup time", help="Local time of day of the daily backup.")
    crm_backup_folder = fields.Char(
        string="Backup folder",
        help="Absolute path on the server. Default: the backups folder inside Odoo's data directory.",
    )
    crm_backup_keep_daily = fields.Integer(string="Daily backups kept")
    crm_backup_keep_weekly = fields.Integer(string="Weekly backups kept")
    crm_backup_include_filestore = fields.Boolean(
        string="Include attachments (filestore)",
        help="Zip the filestore with the database dump; otherwise only pg_dump's custom format is written.",
    )
    crm_backup_verify = fields.Boolean(
        string="Verify each backup by a test restore",
        help="Restore every new backup into a temporary database, compare row counts, drop it.",
    )
    crm_backup_min_free_mb = fields.Integer(string="Warn below free space (MB)")

    @api.model
    def get_values(self):
        res = super().get_values()
        # -- backup (issue 8)
        config = self.env["crm.customer.backup"]._get_config(raise_if_missing=False)
        cron = self.env.ref("crm_customer_template.ir_cron_crm_customer_backup", raise_if_not_found=False)
        if config:
            res.update(
                crm_backup_enabled=bool(cron and cron.sudo().active),
                crm_backup_time=config.crm_time_of_day,
                crm_backup_folder=config.folder,
                crm_backup_keep_daily=config.crm_keep_daily,
                crm_backup_keep_weekly=config.crm_keep_weekly,
                crm_backup_include_filestore=config.backup_format == "zip",
                crm_backup_verify=config.crm_verify_restore,
                crm_backup_min_free_mb=config.crm_min_free_mb,
            )
        return res

    def set_values(self):
        super().set_values()
        # -- backup (issue 8)
        if not (self.env.su or self.env.user.has_group("crm_customer_template.group_crm_customer_manager")):
            return  # the block is hidden from administrators who are not customer managers
        config = self.env["crm.customer.backup"]._get_config()
        cron = self.env.ref("crm_customer_template.ir_cron_crm_customer_backup").sudo()
        vals = {
            "folder": (self.crm_backup_folder or "").strip() or config._crm_default_folder(),
            "crm_time_of_day": self.crm_backup_time,
            "crm_keep_daily": self.crm_backup_keep_daily,
            "crm_keep_weekly": self.crm_backup_keep_weekly,
            "backup_format": "zip" if self.crm_backup_include_filestore else "dump",
            "crm_verify_restore": self.crm_backup_verify,
            "crm_min_free_mb": self.crm_backup_min_free_mb,
        }
        vals = {key: value for key, value in vals.items() if config[key] != value}
        reschedule = "crm_time_of_day" in vals or cron.active != self.crm_backup_enabled
        if vals:
            config.write(vals)
        if reschedule:
            cron.write({"active": self.crm_backup_enabled, "nextcall": self._crm_backup_nextcall(config)})

    @api.model
    def _crm_backup_nextcall(self, config, now=None):
        """Next occurrence (UTC, naive) of the configured local time of day, in
        the time zone of the user saving the settings."""
        tz = pytz.timezone(self.env.user.tz or "UTC")
        now_local = (now or datetime.now(pytz.utc)).astimezone(tz)
        minutes = min(int(round(config.crm_time_of_day * 60)), 24 * 60 - 1)
        day = now_local.date()
        target = tz.localize(datetime.combine(day, time(minutes // 60, minutes % 60)))
        if target <= now_local:
            target = tz.localize(datetime.combine(day + timedelta(days=1), time(minutes // 60, minutes % 60)))
        return target.astimezone(pytz.utc).replace(tzinfo=None)

    # -- end backup (issue 8)

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

    # Segmentation and service standards
    crm_customer_stage_new_days = fields.Integer(
        string="New for (days)",
        config_parameter="crm_customer_template.stage_new_days",
        default=LIFECYCLE_DEFAULTS["stage_new_days"],
        help="A customer created within this many days is New.",
    )
    crm_customer_stage_active_days = fields.Integer(
        string="Active if followed up within (days)",
        config_parameter="crm_customer_template.stage_active_days",
        default=LIFECYCLE_DEFAULTS["stage_active_days"],
        help="A customer with a follow-up within this many days is Active; older, Silent.",
    )
    crm_customer_stage_churn_days = fields.Integer(
        string="Churned after (days)",
        config_parameter="crm_customer_template.stage_churn_days",
        default=LIFECYCLE_DEFAULTS["stage_churn_days"],
        help="Without follow-up (or since creation) for this many days, or lost: Churned.",
    )
    crm_customer_score_weight_grade = fields.Integer(
        string="Weight of Grade",
        config_parameter="crm_customer_template.score_weight_grade",
        default=LIFECYCLE_DEFAULTS["score_weight_grade"],
    )
    crm_customer_score_weight_frequency = fields.Integer(
        string="Weight of Follow-up Frequency",
        config_parameter="crm_customer_template.score_weight_frequency",
        default=LIFECYCLE_DEFAULTS["score_weight_frequency"],
    )
    crm_customer_score_weight_won = fields.Integer(
        string="Weight of Won Status",
        config_parameter="crm_customer_template.score_weight_won",
        default=LIFECYCLE_DEFAULTS["score_weight_won"],
    )
    crm_customer_score_weight_satisfaction = fields.Integer(
        string="Weight of Satisfaction",
        config_parameter="crm_customer_template.score_weight_satisfaction",
        default=LIFECYCLE_DEFAULTS["score_weight_satisfaction"],
    )
    crm_customer_satisfaction_threshold = fields.Integer(
        string="Escalate Satisfaction at or Below",
        config_parameter="crm_customer_template.satisfaction_threshold",
        default=LIFECYCLE_DEFAULTS["satisfaction_threshold"],
        help="Feedback rated at or below this (1-5) escalates to the owner and the managers.",
    )
    crm_customer_need_hours_high = fields.Integer(
        string="Response Time, High Priority Needs (hours)",
        config_parameter="crm_customer_template.need_hours_high",
        default=LIFECYCLE_DEFAULTS["need_hours_high"],
    )
    crm_customer_need_hours_medium = fields.Integer(
        string="Response Time, Medium Priority Needs (hours)",
        config_parameter="crm_customer_template.need_hours_medium",
        default=LIFECYCLE_DEFAULTS["need_hours_medium"],
    )
    crm_customer_need_hours_low = fields.Integer(
        string="Response Time, Low Priority Needs (hours)",
        config_parameter="crm_customer_template.need_hours_low",
        default=LIFECYCLE_DEFAULTS["need_hours_low"],
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

    # Import (issue 6)
    crm_customer_import_background_rows = fields.Integer(
        string="Import in the background above (rows)",
        config_parameter="crm_customer_template.import_background_rows",
        default=5000,
    )
    crm_customer_import_max_rows = fields.Integer(
        string="Largest import (rows)",
        config_parameter="crm_customer_template.import_max_rows",
        default=200000,
    )
    crm_customer_import_background_chunk = fields.Integer(
        string="Rows per background step",
        config_parameter="crm_customer_template.import_background_chunk",
        default=2000,
    )
