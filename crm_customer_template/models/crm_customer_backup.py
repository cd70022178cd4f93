# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Backup log, safe backup writer, retention and restore verification.

The dump is Odoo's format (``odoo.service.db.dump_db``: ``dump.sql`` from
pg_dump, ``manifest.json`` and the filestore in a zip; or pg_dump's custom
format), written with Odoo's own helpers, so Odoo's database manager and
``odoo-bin db load`` restore it. The configuration record is OCA
``auto_backup``'s ``db.backup``. What this adds is what a backup needs to be
trusted: a temporary file name, fsync and an atomic rename, a SHA-256 checksum,
one log row per run, retention that never drops the newest verified backup,
and a job that restores the dump into a throw-away database and compares row
counts with the counts taken, in the same snapshot as pg_dump, when the dump
was made.
"""

import errno
import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
import time
import uuid
import zipfile
from contextlib import closing
from datetime import datetime, timedelta

from odoo import SUPERUSER_ID, api, fields, models, tools
from odoo.exceptions import AccessError, UserError
from odoo.modules import neutralize
from odoo.service import db as db_service
from odoo.sql_db import close_db, db_connect
from odoo.tools import SQL, format_datetime, human_size
from odoo.tools.misc import exec_pg_environ, find_pg_tool

_logger = logging.getLogger(__name__)

MANAGER_GROUP = "crm_customer_template.group_crm_customer_manager"
# pg advisory lock key: one backup run at a time per database
BACKUP_LOCK_KEY = 0x43524D42  # "CRMB"
CHUNK = 1024 * 1024


def _unguarded(function):
    """The function without ``check_db_management_enabled``. ``list_db = False``
    hides the database manager from the web (and Odoo's own ``odoo-bin db``
    command lifts it too); it must not silently stop the server's backups,
    which only customer managers can start."""
    return getattr(function, "__wrapped__", function)


class BackupError(Exception):
    """A failure whose (translated) message is meant for the backup log."""


class CrmCustomerBackup(models.Model):
    _name = "crm.customer.backup"
    _description = "Customer Data Backup"
    _inherit = ["mail.thread"]
    _order = "date_start desc, id desc"

    # Models whose row counts are compared after the test restore. A model that
    # is not in the registry (its part of the add-on not installed) is skipped.
    _crm_verified_models = (
        "crm.customer",
        "crm.customer.followup",
        "crm.customer.need",
        "crm.customer.feedback",
        "crm.customer.ledger",
        "crm.customer.log",
    )

    name = fields.Char(string="File", required=True, readonly=True)
    config_id = fields.Many2one(
        "db.backup", string="Configuration", readonly=True, ondelete="set null"
    )
    trigger = fields.Selection(
        [("cron", "Scheduled"), ("manual", "Manual"), ("check", "Check")],
        required=True,
        readonly=True,
        default="manual",
    )
    user_id = fields.Many2one(
        "res.users", string="Started by", readonly=True, default=lambda self: self.env.user
    )
    date_start = fields.Datetime(
        string="Started", required=True, readonly=True, default=fields.Datetime.now, index=True
    )
    date_end = fields.Datetime(string="Finished", readonly=True)
    duration = fields.Float(string="Duration (s)", readonly=True, digits=(16, 1))
    file_path = fields.Char(string="Path", readonly=True)
    backup_format = fields.Selection(
        [("zip", "Database and filestore (zip)"), ("dump", "Database only (pg_dump)")],
        string="Format",
        readonly=True,
    )
    # bytes, numeric(20,0): a 4 GB dump does not fit an int4 column
    file_size = fields.Float(string="Size (bytes)", digits=(20, 0), readonly=True)
    file_size_mb = fields.Float(
        string="Size (MB)",
        digits=(16, 2),
        compute="_compute_file_size_mb",
        store=True,
        aggregator="max",
    )
    file_size_display = fields.Char(string="Size", compute="_compute_file_size_display")
    checksum = fields.Char(string="SHA-256", readonly=True)
    state = fields.Selection(
        [("running", "Running"), ("done", "Succeeded"), ("failed", "Failed")],
        string="Result",
        required=True,
        readonly=True,
        default="running",
        index=True,
    )
    error = fields.Text(string="Error", readonly=True)
    counts = fields.Json(string="Row counts at dump time", readonly=True)
    counts_display = fields.Text(string="Row counts", compute="_compute_counts_display")
    free_space_mb = fields.Float(string="Free space left (MB)", digits=(16, 0), readonly=True)
    low_space = fields.Boolean(string="Low space", readonly=True)
    verify_state = fields.Selection(
        [
            ("pending", "Not verified"),
            ("verified", "Verified"),
            ("mismatch", "Difference found"),
            ("failed", "Verification failed"),
        ],
        string="Restore check",
        required=True,
        readonly=True,
        default="pending",
        index=True,
    )
    verify_date = fields.Datetime(string="Checked on", readonly=True)
    verify_duration = fields.Float(string="Restore time (s)", readonly=True, digits=(16, 1))
    verify_details = fields.Text(string="Restore check details", readonly=True)
    file_deleted = fields.Boolean(
        string="Removed by retention", readonly=True, help="The file was deleted by the retention rule."
    )
    date_deleted = fields.Datetime(string="Removed on", readonly=True)

    @api.depends("file_size")
    def _compute_file_size_mb(self):
        for backup in self:
            backup.file_size_mb = (backup.file_size or 0.0) / (1024 * 1024)

    @api.depends("file_size")
    def _compute_file_size_display(self):
        for backup in self:
            backup.file_size_display = human_size(backup.file_size) if backup.file_size else False

    @api.depends("counts")
    def _compute_counts_display(self):
        for backup in self:
            counts = backup.counts or {}
            backup.counts_display = "\n".join(f"{model}: {counts[model]}" for model in sorted(counts)) or False

    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------

    @api.model
    def _check_manager(self):
        if self.env.su or self.env.user.has_group(MANAGER_GROUP):
            return
        raise AccessError(self.env._("Only customer managers can start, verify or read backups."))

    @api.model
    def _get_config(self, raise_if_missing=True):
        """The ``db.backup`` record our settings manage (sudo: managers need not be
        system administrators; callers check ``_check_manager`` first)."""
        config = self.env.ref("crm_customer_template.db_backup_crm_customer", raise_if_not_found=False)
        if not config:
            config = self.env["db.backup"].sudo().search([("crm_managed", "=", True)], limit=1)
        if not config and raise_if_missing:
            raise UserError(self.env._("The customer backup configuration is missing; update the add-on."))
        return config.sudo()

    # ------------------------------------------------------------------
    # Buttons and crons
    # ------------------------------------------------------------------

    @api.model
    def action_backup_now(self):
        """"Back up now": a backup made on demand, verified in the background."""
        self._check_manager()
        config = self._get_config()
        backup = self._run_backup(config, trigger="manual")
        if backup.state == "done" and config.crm_verify_restore:
            self.env.ref("crm_customer_template.ir_cron_crm_customer_backup_verify").sudo()._trigger()
        if backup.state == "done":
            message = self.env._(
                "Backup %(file)s written (%(size)s). Its restore check runs in the background.",
                file=backup.name,
                size=backup.file_size_display,
            )
        else:
            message = self.env._("The backup failed: %(error)s", error=backup.error)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Backup"),
                "message": message,
                "type": "success" if backup.state == "done" else "danger",
                "sticky": backup.state != "done",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_verify_restore(self):
        """Restore this backup into a temporary database and compare row counts."""
        self._check_manager()
        for backup in self:
            backup._verify_restore()
        return {"type": "ir.actions.client", "tag": "soft_reload"}

    @api.model
    def _cron_backup(self):
        config = self._get_config()
        backup = self._run_backup(config, trigger="cron")
        if backup.state == "done" and config.crm_verify_restore:
            self.env.ref("crm_customer_template.ir_cron_crm_customer_backup_verify").sudo()._trigger()
        return backup

    @api.model
    def _cron_verify(self):
        """Verify the newest backup not verified yet, then warn if backups stopped."""
        self._check_manager()
        newest = self.sudo().search(
            [("state", "=", "done"), ("file_deleted", "=", False)], order="date_start desc, id desc", limit=1
        )
        if newest and newest.verify_state == "pending":
            newest._verify_restore()
        self._check_missing_backup()

    @api.model
    def _check_missing_backup(self):
        """Record and notify when the daily backup is enabled but the last good
        one is older than two days (server down at backup time, cron failing)."""
        cron = self.env.ref("crm_customer_template.ir_cron_crm_customer_backup", raise_if_not_found=False)
        if not cron or not cron.sudo().active:
            return False
        Backup = self.sudo()
        limit = fields.Datetime.now() - timedelta(days=2)
        last_good = Backup.search([("state", "=", "done")], order="date_start desc", limit=1)
        if last_good and last_good.date_start >= limit:
            return False
        if not last_good and cron.sudo().create_date >= limit:
            return False  # just installed: the first backup is still to come
        already = Backup.search_count([("trigger", "=", "check"), ("date_start", ">=", limit)])
        if already:
            return False
        if last_good:
            error = self.env._(
                "No backup has succeeded since %(date)s.",
                date=format_datetime(self.env, last_good.date_start),
            )
        else:
            error = self.env._("No backup has ever succeeded.")
        now = fields.Datetime.now()
        record = Backup.create(
            {
                "name": self.env._("Missing backup"),
                "trigger": "check",
                "state": "failed",
                "date_start": now,
                "date_end": now,
                "error": error,
                "verify_state": "failed",
            }
        )
        record._notify_managers(self.env._("Backups are missing"), error)
        return record

    # ------------------------------------------------------------------
    # Backup run
    # ------------------------------------------------------------------

    @api.model
    def _run_backup(self, config, trigger="manual"):
        """Make one backup with ``config`` (a ``db.backup``); always returns the
        log row, which says whether it succeeded. Never raises for a failed dump:
        the failure is recorded and the managers are notified."""
        self._check_manager()
        config = config.sudo()
        # held by a connection of its own for the length of the run, released
        # when it closes whatever happens to the caller's transaction
        with closing(db_connect(self.env.cr.dbname).cursor()) as lock_cr:
            lock_cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s)", BACKUP_LOCK_KEY))
            if not lock_cr.fetchone()[0]:
                raise UserError(self.env._("A backup is already running; try again when it has finished."))
            return self._run_backup_locked(config, trigger)

    @api.model
    def _run_backup_locked(self, config, trigger):
        dbname = self.env.cr.dbname
        fmt = config.backup_format or "zip"
        folder = config.folder
        started = time.monotonic()
        backup = self.sudo().create(
            {
                "name": self._backup_file_name(dbname, fmt),
                "config_id": config.id,
                "trigger": trigger,
                "backup_format": fmt,
                "date_start": fields.Datetime.now(),
                "user_id": self.env.uid,
            }
        )
        try:
            path, size, checksum, counts = self._write_dump(dbname, folder, backup.name, fmt)
        except Exception as exc:  # noqa: BLE001 - every failure is recorded
            _logger.warning("Backup of %s into %s failed", dbname, folder, exc_info=True)
            backup.write(
                {
                    "state": "failed",
                    "error": self._describe_error(exc, folder),
                    "date_end": fields.Datetime.now(),
                    "duration": time.monotonic() - started,
                }
            )
            backup._notify_managers(
                self.env._("Backup failed"),
                self.env._("The backup %(file)s failed: %(error)s", file=backup.name, error=backup.error),
            )
            return backup
        free_mb = shutil.disk_usage(folder).free / (1024 * 1024)
        backup.write(
            {
                "state": "done",
                "file_path": path,
                "file_size": size,
                "checksum": checksum,
                "counts": counts,
                "date_end": fields.Datetime.now(),
                "duration": time.monotonic() - started,
                "free_space_mb": free_mb,
                "low_space": free_mb < config.crm_min_free_mb,
            }
        )
        _logger.info("Backup of %s written to %s (%s)", dbname, path, backup.file_size_display)
        self._apply_retention(config)
        if backup.low_space:
            backup._notify_managers(
                self.env._("Backup folder running out of space"),
                self.env._(
                    "Only %(free)s MB are left in %(folder)s (warning below %(limit)s MB); the last "
                    "backup took %(size)s. Free space or move the backups before the next one fails.",
                    free=int(free_mb),
                    folder=folder,
                    limit=config.crm_min_free_mb,
                    size=backup.file_size_display,
                ),
            )
        return backup

    @api.model
    def _backup_file_name(self, dbname, fmt):
        """OCA's name (``YYYY_MM_DD_HH_MM_SS.dump.zip``) prefixed with the database
        and made unique within the log."""
        base = re.sub(r"[^A-Za-z0-9_.-]", "_", dbname) + "_" + self.env["db.backup"].filename(datetime.now(), ext=fmt)
        name, n = base, 1
        while self.sudo().search_count([("name", "=", name)]):
            stem, dot, ext = base.partition(".")
            name = f"{stem}_{n}{dot}{ext}"
            n += 1
        return name

    @api.model
    def _verified_tables(self):
        tables = {}
        for model_name in self._crm_verified_models:
            model = self.env.get(model_name)
            if model is not None and not model._abstract and model._auto:
                tables[model_name] = model._table
        return tables

    @api.model
    def _count_rows(self, dbname):
        """Row counts of the verified tables in ``dbname`` (committed rows, read
        on a connection of its own)."""
        with closing(db_connect(dbname).cursor()) as cr:
            return self._count_rows_cr(cr)

    @api.model
    def _count_rows_cr(self, cr):
        result = {}
        for model_name, table in self._verified_tables().items():
            cr.execute(SQL("SELECT to_regclass(%s) IS NOT NULL", table))
            if not cr.fetchone()[0]:
                continue
            cr.execute(SQL("SELECT count(*) FROM %s", SQL.identifier(table)))
            result[model_name] = cr.fetchone()[0]
        return result

    @api.model
    def _dump(self, dbname, stream, fmt):
        """Write Odoo's dump of ``dbname`` to ``stream`` and return the row counts
        it contains.

        Same content as ``odoo.service.db.dump_db`` (which is not called: it
        refuses to run when ``list_db = False``, the usual production setting,
        and drops pg_dump's error message), with two differences: pg_dump runs
        on a snapshot exported by the connection that counts the rows, so the
        counts are exactly those of the dump; the filestore is zipped from where
        it is instead of being copied to a temporary folder first."""
        pg_env = exec_pg_environ()
        with closing(db_connect(dbname).cursor()) as cr, tempfile.TemporaryDirectory() as work_dir:
            # Odoo cursors are REPEATABLE READ: the snapshot exported here is the
            # one the counts below are read in, and pg_dump imports it
            cr.execute(SQL("SELECT pg_export_snapshot()"))
            snapshot = cr.fetchone()[0]
            counts = self._count_rows_cr(cr)
            cmd = [find_pg_tool("pg_dump"), "--no-owner", "--snapshot=" + snapshot]
            errors_path = os.path.join(work_dir, "pg_dump.err")
            if fmt == "zip":
                manifest = _unguarded(db_service.dump_db_manifest)(cr)
                sql_path = os.path.join(work_dir, "dump.sql")
                with open(errors_path, "wb") as errors:
                    proc = subprocess.run(
                        [*cmd, "--file=" + sql_path, dbname], env=pg_env, stdout=errors, stderr=errors, check=False
                    )
                self._check_pg_dump(proc.returncode, errors_path)
                with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
                    archive.write(sql_path, "dump.sql")
                    archive.writestr("manifest.json", json.dumps(manifest, indent=4))
                    filestore = tools.config.filestore(dbname)
                    for root, dirs, files in os.walk(filestore):
                        dirs.sort()
                        for file_name in sorted(files):
                            path = os.path.join(root, file_name)
                            archive.write(path, os.path.join("filestore", os.path.relpath(path, filestore)))
            else:
                with open(errors_path, "wb") as errors:
                    proc = subprocess.Popen(
                        [*cmd, "--format=c", dbname], env=pg_env, stdin=subprocess.DEVNULL,
                        stdout=subprocess.PIPE, stderr=errors,
                    )
                    try:
                        shutil.copyfileobj(proc.stdout, stream, CHUNK)
                    finally:
                        proc.stdout.close()  # on a write error pg_dump ends (EPIPE), no lingering locks
                        returncode = proc.wait()
                self._check_pg_dump(returncode, errors_path)
        return counts

    @api.model
    def _check_pg_dump(self, returncode, errors_path):
        if returncode == 0:
            return
        with open(errors_path, "rb") as errors:
            message = errors.read().decode(errors="replace").strip()[-500:]
        raise BackupError(
            self.env._("pg_dump failed (exit code %(code)s): %(error)s", code=returncode, error=message)
        )

    @api.model
    def _write_dump(self, dbname, folder, name, fmt):
        """Dump ``dbname`` to ``folder/name``: write to a hidden temporary name,
        fsync, check the archive, then rename. Any failure removes the temporary
        file; existing backups are never opened for writing."""
        if not folder or not os.path.isabs(folder):
            raise BackupError(self.env._("The backup folder must be an absolute path."))
        try:
            os.makedirs(folder, exist_ok=True)
        except OSError as exc:
            raise BackupError(
                self.env._(
                    "The backup folder %(folder)s is missing and cannot be created: %(error)s",
                    folder=folder,
                    error=exc.strerror or exc,
                )
            ) from exc
        final = os.path.join(folder, name)
        partial = os.path.join(folder, f".{name}.part")
        try:
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                raise
            raise BackupError(
                self.env._(
                    "The backup folder %(folder)s is not writable: %(error)s",
                    folder=folder,
                    error=exc.strerror or exc,
                )
            ) from exc
        try:
            with os.fdopen(fd, "wb") as stream:
                counts = self._dump(dbname, stream, fmt)
                stream.flush()
                os.fsync(stream.fileno())
            self._check_dump_file(partial, fmt)
            size, checksum = self._file_digest(partial)
            if os.path.exists(final):
                raise BackupError(self.env._("The file %(file)s already exists.", file=final))
            os.rename(partial, final)
            self._fsync_dir(folder)
        except BaseException:
            try:
                os.unlink(partial)
            except FileNotFoundError:
                pass
            raise
        return final, size, checksum, counts

    @api.model
    def _check_dump_file(self, path, fmt):
        """Read the whole archive back; a damaged or truncated dump raises."""
        if fmt == "zip":
            if not zipfile.is_zipfile(path):
                raise BackupError(self.env._("The dump is not a valid zip archive."))
            try:
                with zipfile.ZipFile(path) as archive:
                    if "dump.sql" not in archive.namelist():
                        raise BackupError(self.env._("The dump archive has no dump.sql."))
                    bad = archive.testzip()
            except (zipfile.BadZipFile, OSError, EOFError) as exc:
                raise BackupError(self.env._("The dump archive is damaged: %(error)s", error=exc)) from exc
            if bad:
                raise BackupError(self.env._("The dump archive is damaged: %(error)s", error=bad))
            return
        proc = subprocess.run(
            [find_pg_tool("pg_restore"), "--file=" + os.devnull, path],
            env=exec_pg_environ(),
            capture_output=True,
            check=False,
        )
        if proc.returncode != 0:
            raise BackupError(
                self.env._(
                    "The dump is damaged or incomplete: %(error)s",
                    error=proc.stderr.decode(errors="replace").strip()[:500],
                )
            )

    @staticmethod
    def _file_digest(path):
        digest = hashlib.sha256()
        size = 0
        with open(path, "rb") as fh:
            while chunk := fh.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
        return size, digest.hexdigest()

    @staticmethod
    def _fsync_dir(folder):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    @api.model
    def _describe_error(self, exc, folder):
        if isinstance(exc, BackupError):
            return str(exc)
        if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
            return self.env._(
                "There is not enough disk space to write the backup into %(folder)s. The partial file was "
                "removed; older backups are untouched.",
                folder=folder,
            )
        if isinstance(exc, OSError):
            return self.env._(
                "The backup could not be written to %(folder)s: %(error)s", folder=folder, error=exc
            )
        return self.env._("Unexpected error: %(error)s", error=repr(exc))

    # ------------------------------------------------------------------
    # Retention
    # ------------------------------------------------------------------

    @api.model
    def _apply_retention(self, config):
        """Keep the newest backup of each of the last N days and of each of the
        last M ISO weeks, the newest backup and the newest verified backup;
        delete the other files (only files this log wrote)."""
        kept_files = self.sudo().search(
            [("config_id", "=", config.id), ("state", "=", "done"), ("file_deleted", "=", False)],
            order="date_start desc, id desc",
        )
        keep = self._retention_keep(kept_files, config.crm_keep_daily, config.crm_keep_weekly)
        to_delete = kept_files - keep
        removed = self.sudo().browse()
        for backup in to_delete:
            try:
                if backup.file_path:
                    os.unlink(backup.file_path)
            except FileNotFoundError:
                pass
            except OSError:
                _logger.warning("Retention could not delete %s", backup.file_path, exc_info=True)
                continue
            removed |= backup
        removed.write({"file_deleted": True, "date_deleted": fields.Datetime.now()})
        return removed

    @api.model
    def _retention_keep(self, backups, keep_daily, keep_weekly):
        """``backups`` newest first; returns the ones to keep."""
        keep = self.browse()
        if not backups:
            return keep
        keep |= backups[0]
        days, weeks = [], []
        for backup in backups:
            day = backup.date_start.date()
            week = day.isocalendar()[:2]
            if day not in days and len(days) < keep_daily:
                days.append(day)
                keep |= backup
            if week not in weeks and len(weeks) < keep_weekly:
                weeks.append(week)
                keep |= backup
        verified = backups.filtered(lambda b: b.verify_state == "verified")
        if verified:
            keep |= verified[0]
        return keep

    # ------------------------------------------------------------------
    # Restore verification
    # ------------------------------------------------------------------

    def _verify_restore(self):
        """Check the file against its checksum, restore it into a temporary
        database (see ``_restore_for_check``), compare its row counts with the
        ones taken at dump time, record the outcome and drop the database."""
        self.ensure_one()
        self._check_manager()
        backup = self.sudo()
        if backup.state != "done" or backup.file_deleted:
            raise UserError(self.env._("Only a successful backup whose file is still kept can be verified."))
        started = time.monotonic()
        temp_db = None
        vals = {}
        try:
            path = backup.file_path
            if not path or not os.path.isfile(path):
                raise BackupError(self.env._("The backup file %(file)s is missing.", file=path or backup.name))
            size, checksum = self._file_digest(path)
            if checksum != backup.checksum or size != int(backup.file_size):
                raise BackupError(
                    self.env._(
                        "The backup file %(file)s is corrupted: its size or SHA-256 checksum no longer "
                        "matches the one recorded when it was written.",
                        file=path,
                    )
                )
            self._check_dump_file(path, backup.backup_format)
            temp_db = self._temp_db_name()
            self._restore_for_check(temp_db, path)
            restored = self._count_rows(temp_db)
            differences = self._compare_counts(backup.counts or {}, restored)
            if differences:
                vals = {"verify_state": "mismatch", "verify_details": "\n".join(differences)}
            else:
                vals = {
                    "verify_state": "verified",
                    "verify_details": "\n".join(f"{m}: {n}" for m, n in sorted(restored.items())),
                }
        except Exception as exc:  # noqa: BLE001 - every failure is recorded
            _logger.warning("Restore check of %s failed", backup.name, exc_info=True)
            vals = {"verify_state": "failed", "verify_details": self._describe_error(exc, backup.file_path)}
        finally:
            if temp_db:
                drop_error = self._drop_temp_db(temp_db)
                if drop_error:
                    vals["verify_details"] = (vals.get("verify_details") or "") + "\n" + drop_error
        vals.update({"verify_date": fields.Datetime.now(), "verify_duration": time.monotonic() - started})
        backup.write(vals)
        if backup.verify_state != "verified":
            backup._notify_managers(
                self.env._("Backup restore check failed"),
                self.env._(
                    "The restore check of %(file)s did not pass: %(details)s",
                    file=backup.name,
                    details=backup.verify_details,
                ),
            )
        return backup.verify_state == "verified"

    @api.model
    def _restore_for_check(self, temp_db, path):
        """``odoo.service.db.restore_db`` without its last step: same empty
        database, same psql / pg_restore, then Odoo's neutralisation queries (no
        crons, no mail servers), but no registry is loaded for the copy (loading
        one costs memory and, in a test run, would run every module's tests in
        it) and the filestore is not unpacked (the archive check read it).
        Unlike restore_db, any SQL error makes the check fail."""
        db_service._create_empty_database(temp_db)
        with tempfile.TemporaryDirectory() as work_dir:
            if zipfile.is_zipfile(path):
                with zipfile.ZipFile(path) as archive:
                    archive.extract("dump.sql", work_dir)
                cmd = [
                    find_pg_tool("psql"),
                    "--dbname=" + temp_db,
                    "--no-psqlrc",
                    "--quiet",
                    "--set=ON_ERROR_STOP=1",
                    "--file=" + os.path.join(work_dir, "dump.sql"),
                ]
            else:
                cmd = [find_pg_tool("pg_restore"), "--no-owner", "--exit-on-error", "--dbname=" + temp_db, path]
            proc = subprocess.run(cmd, env=exec_pg_environ(), capture_output=True, check=False)
        if proc.returncode != 0:
            raise BackupError(
                self.env._(
                    "The dump could not be restored: %(error)s",
                    error=proc.stderr.decode(errors="replace").strip()[-500:],
                )
            )
        with db_connect(temp_db).cursor() as cr:
            for query in neutralize.get_neutralization_queries(neutralize.get_installed_modules(cr)):
                cr.execute(query)

    @api.model
    def _compare_counts(self, expected, restored):
        """Differences as translated lines; empty when the restore matches."""
        differences = []
        for model_name in sorted(expected):
            got = restored.get(model_name)
            if got is None:
                differences.append(self.env._("%(model)s: table missing after restore", model=model_name))
            elif got != expected[model_name]:
                differences.append(
                    self.env._(
                        "%(model)s: %(expected)s rows at backup time, %(got)s after restore",
                        model=model_name,
                        expected=expected[model_name],
                        got=got,
                    )
                )
        return differences

    @api.model
    def _temp_db_name(self):
        prefix = re.sub(r"[^a-z0-9_]", "_", self.env.cr.dbname.lower())[:40]
        return f"{prefix}_bkcheck_{uuid.uuid4().hex[:10]}"

    @api.model
    def _drop_temp_db(self, temp_db):
        """Drop the check database. Not ``exp_drop``: it silently does nothing
        when the server is started with ``-d`` (``list_dbs`` then only lists
        the configured databases)."""
        try:
            close_db(temp_db)
            with closing(db_connect("postgres").cursor()) as cr:
                cr._cnx.autocommit = True  # DROP DATABASE cannot run in a transaction
                db_service._drop_conn(cr, temp_db)
                cr.execute(SQL("DROP DATABASE IF EXISTS %s", SQL.identifier(temp_db)))
        except Exception as exc:  # noqa: BLE001
            _logger.error("Could not drop the temporary database %s", temp_db, exc_info=True)
            return self.env._(
                "The temporary database %(db)s could not be dropped: %(error)s", db=temp_db, error=exc
            )
        return None

    # ------------------------------------------------------------------
    # Notifications and status
    # ------------------------------------------------------------------

    def _notify_managers(self, subject, body):
        """Post on the log row and notify every customer manager (inbox/e-mail
        as each prefers)."""
        self.ensure_one()
        managers = self.env.ref(MANAGER_GROUP).sudo().users.filtered(
            lambda u: u.active and not u.share and u.id != SUPERUSER_ID
        )
        self.sudo().message_post(
            subject=subject,
            body=body,
            partner_ids=managers.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

    @api.model
    def get_backup_status(self):
        """Last backup, last verified restore and the size trend, for managers
        (the reports add-on's dashboard may show it)."""
        self._check_manager()
        Backup = self.sudo()
        last = Backup.search([("trigger", "!=", "check")], limit=1)
        last_good = Backup.search([("state", "=", "done")], limit=1)
        last_verified = Backup.search([("verify_state", "=", "verified")], order="verify_date desc", limit=1)
        trend = Backup.search([("state", "=", "done")], limit=30)
        return {
            "last_backup": last and {"date": last.date_start, "state": last.state, "error": last.error},
            "last_success": last_good and {"date": last_good.date_start, "size": last_good.file_size},
            "last_verified": last_verified
            and {"date": last_verified.verify_date, "file": last_verified.name},
            "size_trend": [(b.date_start, b.file_size) for b in reversed(trend)],
        }
