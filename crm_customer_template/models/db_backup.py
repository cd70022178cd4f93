# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import os

import odoo.addons
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class DbBackup(models.Model):
    """The OCA ``auto_backup`` configuration record holds the customer backup
    settings (folder, format) plus the retention and checks added here.

    The record flagged ``crm_managed`` is run by ``crm.customer.backup``
    (temporary name, fsync, rename, checksum, restore verification) instead of
    the plain OCA writer; other ``db.backup`` records keep their OCA behaviour.
    """

    _inherit = "db.backup"

    crm_managed = fields.Boolean(
        string="Customer backup",
        readonly=True,
        copy=False,
        help="Run by the Customer Management backup (log, checksum, restore verification).",
    )
    crm_keep_daily = fields.Integer(
        string="Daily backups to keep",
        default=7,
        help="The newest backup of each of the last N days with a backup is kept.",
    )
    crm_keep_weekly = fields.Integer(
        string="Weekly backups to keep",
        default=4,
        help="The newest backup of each of the last M weeks with a backup is kept.",
    )
    crm_time_of_day = fields.Float(
        string="Backup time",
        default=2.0,
        help="Local time of day (of the user saving the settings) of the daily backup.",
    )
    crm_verify_restore = fields.Boolean(
        string="Verify each backup",
        default=True,
        help="After each backup, restore it into a temporary database and compare row counts.",
    )
    crm_min_free_mb = fields.Integer(
        string="Low space warning (MB)",
        default=1024,
        help="Managers are warned when less free space than this remains in the backup folder.",
    )

    @api.constrains("crm_keep_daily", "crm_keep_weekly", "crm_min_free_mb", "crm_time_of_day")
    def _check_crm_numbers(self):
        for rec in self:
            if rec.crm_keep_daily < 1:
                raise ValidationError(self.env._("Keep at least one daily backup."))
            if rec.crm_keep_weekly < 0 or rec.crm_min_free_mb < 0:
                raise ValidationError(
                    self.env._("Weekly backups to keep and the low space warning cannot be negative.")
                )
            if not 0 <= rec.crm_time_of_day < 24:
                raise ValidationError(self.env._("The backup time must be between 00:00 and 23:59."))

    @api.constrains("folder", "crm_managed")
    def _check_crm_folder(self):
        """Backups hold every customer: keep them out of the add-ons (which may be
        served or shipped) and require an absolute path."""
        addons_roots = [os.path.realpath(p) for p in odoo.addons.__path__]
        for rec in self.filtered("crm_managed"):
            folder = os.path.realpath(rec.folder or "")
            if not rec.folder or not os.path.isabs(rec.folder):
                raise ValidationError(self.env._("The backup folder must be an absolute path."))
            if any(folder == root or folder.startswith(root + os.sep) for root in addons_roots):
                raise ValidationError(
                    self.env._("The backup folder cannot be inside an add-ons directory: %(folder)s", folder=folder)
                )

    @api.model
    def _crm_default_folder(self):
        """``<data_dir>/backups/<db>/customer``: inside Odoo's data directory,
        next to (not on top of) OCA's default folder."""
        return os.path.join(self._default_folder(), "customer")

    @api.ondelete(at_uninstall=False)
    def _unlink_except_crm_managed(self):
        if any(rec.crm_managed for rec in self):
            raise UserError(
                self.env._(
                    "The customer backup configuration cannot be deleted; "
                    "disable automatic backups in the settings instead."
                )
            )

    def action_backup(self):
        """Our record goes through the safe writer; the others stay OCA's."""
        managed = self.filtered(lambda r: r.crm_managed and r.method == "local")
        for rec in managed:
            self.env["crm.customer.backup"]._run_backup(rec, trigger="manual")
        others = self - managed
        if others:
            return super(DbBackup, others).action_backup()
        return True

    @api.model
    def action_backup_all(self):
        """OCA's scheduler skips our record: our own cron runs it at its own
        time and only when enabled."""
        return self.search([("crm_managed", "=", False)]).action_backup()

    def cleanup(self):
        """Retention of our record is ``crm.customer.backup._apply_retention``."""
        return super(DbBackup, self.filtered(lambda r: not r.crm_managed)).cleanup()
