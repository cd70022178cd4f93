# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Backups of the real test database: pg_dump + filestore written to disk,
restored into a new database and compared; real faults (read-only and full
filesystems mounted for the test, a pg_dump that cannot get its locks, damaged
files). Needs root for the mounts, like the setup scripts."""

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from contextlib import closing
from datetime import datetime, timedelta
from xmlrpc.client import Fault

import odoo
from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.sql_db import close_db, db_connect
from odoo.tests import Form, HttpCase, TransactionCase, new_test_user, tagged
from odoo.tools import SQL

from odoo.addons.crm_customer_template.models.crm_customer_backup import BACKUP_LOCK_KEY

MODELS = ("crm.customer", "crm.customer.followup", "crm.customer.need", "crm.customer.feedback")


def sha256(path):
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


class BackupCommon(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, login="bk_manager", groups="crm_customer_template.group_crm_customer_manager"
        )
        cls.sales = new_test_user(cls.env, login="bk_sales", groups="crm_customer_template.group_crm_customer_user")
        cls.Backup = cls.env["crm.customer.backup"]
        cls.config = cls.Backup._get_config()
        cls.root = tempfile.mkdtemp(prefix="crm_backup_test_")
        cls.addClassCleanup(shutil.rmtree, cls.root, True)
        cls.folder = os.path.join(cls.root, "main")
        cls.config.write({"folder": cls.folder, "crm_min_free_mb": 0, "backup_format": "zip"})

    def _mount_tmpfs(self, name, options):
        """A real small or read-only filesystem (root only, like the setup)."""
        path = os.path.join(self.root, name)
        os.makedirs(path, exist_ok=True)
        proc = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", path], capture_output=True, check=False
        )
        self.assertEqual(proc.returncode, 0, f"mounting a tmpfs needs root: {proc.stderr!r}")
        self.addCleanup(subprocess.run, ["umount", "-l", path], check=False)
        return path

    def _manager_notified(self, backup):
        messages = backup.message_ids.filtered(lambda m: self.manager.partner_id in m.partner_ids)
        return messages

    def _databases(self):
        with closing(db_connect("postgres").cursor()) as cr:
            cr.execute(SQL("SELECT datname FROM pg_database"))
            return {name for (name,) in cr.fetchall()}

    def _committed_counts(self):
        """Row counts as another connection (and so pg_dump) sees them."""
        with db_connect(self.env.cr.dbname).cursor() as cr:
            result = {}
            for model in MODELS:
                cr.execute(SQL("SELECT count(*) FROM %s", SQL.identifier(self.env[model]._table)))
                result[model] = cr.fetchone()[0]
        return result


@tagged("post_install", "-at_install", "crm_customer_backup")
class TestBackupRun(BackupCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # one real backup of the test database, made by the scheduled job
        cls.good = cls.Backup._cron_backup()
        cls.good_copy = os.path.join(cls.root, "good.copy")
        shutil.copyfile(cls.good.file_path, cls.good_copy)

    def _put_back_good_file(self):
        if not os.path.exists(self.good.file_path):
            shutil.copyfile(self.good_copy, self.good.file_path)
            os.chmod(self.good.file_path, 0o600)

    def test_back_up_now_button(self):
        self.addCleanup(self._put_back_good_file)
        verify_cron = self.env.ref("crm_customer_template.ir_cron_crm_customer_backup_verify")
        self.env["ir.cron.trigger"].search([("cron_id", "=", verify_cron.id)]).unlink()
        self.config.backup_format = "dump"
        action = self.Backup.with_user(self.manager).action_backup_now()
        self.assertEqual(action["params"]["type"], "success", action["params"]["message"])
        backup = self.Backup.search([], limit=1)
        self.assertNotEqual(backup, self.good)
        self.addCleanup(os.unlink, backup.file_path)
        self.assertEqual((backup.state, backup.trigger, backup.user_id), ("done", "manual", self.manager))
        self.assertTrue(os.path.isfile(backup.file_path))
        self.assertTrue(self.env["ir.cron.trigger"].search_count([("cron_id", "=", verify_cron.id)]))
        # same day, keep 7 daily / 4 weekly: only the newest of the day stays
        self.assertTrue(self.good.file_deleted)
        self.assertFalse(os.path.exists(self.good.file_path))
        self.assertEqual(os.listdir(self.folder), [backup.name])

    def test_backup_written_and_restore_verified(self):
        good = self.good
        self.assertEqual(good.state, "done", good.error)
        self.assertEqual(good.trigger, "cron")
        self.assertTrue(good.file_path.startswith(self.folder + os.sep))
        self.assertTrue(os.path.isfile(good.file_path))
        self.assertEqual(os.listdir(self.folder), [good.name], "no temporary file left next to the backup")
        self.assertEqual(int(good.file_size), os.path.getsize(good.file_path))
        self.assertEqual(good.checksum, sha256(good.file_path))
        self.assertEqual(os.stat(good.file_path).st_mode & 0o777, 0o600, "backups hold every customer")
        self.assertTrue(good.date_end >= good.date_start)
        # the counts are the committed ones, i.e. what pg_dump saw
        committed = self._committed_counts()
        for model in MODELS:
            self.assertEqual(good.counts[model], committed[model])
        self.assertGreater(good.counts["crm.customer"], 0, "the demo customers are in the dump")
        # the scheduled job asked for the restore check
        verify_cron = self.env.ref("crm_customer_template.ir_cron_crm_customer_backup_verify")
        self.assertTrue(self.env["ir.cron.trigger"].search_count([("cron_id", "=", verify_cron.id)]))

        # uncommitted rows of this test are not in the dump and must not count
        self.env["crm.customer"].create(
            {
                "name": "Uncommitted Ltd",
                "industry_id": self.env["res.partner.industry"].search([], limit=1).id,
                "contact_name": "Li Lei",
                "phone": "13800138000",
            }
        )
        self.env.flush_all()

        good.with_user(self.manager).action_verify_restore()
        self.assertEqual(good.verify_state, "verified", good.verify_details)
        self.assertTrue(good.verify_date)
        self.assertGreater(good.verify_duration, 0)
        self.assertIn(f"crm.customer: {committed['crm.customer']}", good.verify_details)
        self.assertFalse(
            [name for name in self._databases() if "_bkcheck_" in name and name.startswith(self.env.cr.dbname[:40])],
            "the temporary database was dropped",
        )
        self.assertFalse(
            [d for d in os.listdir(os.path.dirname(self.env["ir.attachment"]._filestore())) if "_bkcheck_" in d],
            "the temporary filestore was removed",
        )
        self.assertFalse(self._manager_notified(good))

    def test_restore_with_odoo_command(self):
        """The README's restore command: ``odoo-bin db load`` (Odoo's own
        restore_db) takes our zip; the new database has the dump's rows."""
        target = f"{self.env.cr.dbname[:40]}_bkload_{os.getpid()}"
        odoo_bin = os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "odoo-bin")
        base = [sys.executable, odoo_bin, "db", "-c", odoo.tools.config.rcfile]
        self.addCleanup(subprocess.run, [*base, "drop", target], capture_output=True, check=False)
        proc = subprocess.run([*base, "load", target, self.good.file_path], capture_output=True, check=False)
        self.assertEqual(proc.returncode, 0, proc.stderr.decode(errors="replace")[-2000:])
        self.assertEqual(self.Backup._count_rows(target), self.good.counts)
        close_db(target)

    def test_verify_detects_a_difference(self):
        good = self.good
        counts = dict(good.counts)
        counts["crm.customer"] += 1
        good.sudo().write({"counts": counts})
        good.with_user(self.manager).action_verify_restore()
        self.assertEqual(good.verify_state, "mismatch")
        n = counts["crm.customer"]
        expected = f"crm.customer: {n} rows at backup time, {n - 1} after restore"
        self.assertIn(expected, good.verify_details)
        self.assertTrue(self._manager_notified(good), "managers are told the restore check failed")

    def _copy_of_good(self, name):
        path = os.path.join(self.folder, name)
        shutil.copyfile(self.good.file_path, path)
        self.addCleanup(lambda: os.path.exists(path) and os.unlink(path))
        good = self.good
        return self.Backup.sudo().create(
            {
                "name": name,
                "config_id": good.config_id.id,
                "state": "done",
                "backup_format": good.backup_format,
                "file_path": path,
                "file_size": good.file_size,
                "checksum": good.checksum,
                "counts": good.counts,
            }
        )

    def test_corrupted_dump(self):
        copy = self._copy_of_good("damaged.dump.zip")
        with open(copy.file_path, "r+b") as fh:
            fh.seek(int(copy.file_size) // 2)
            fh.write(b"\x00garbage\x00")
        good_sum = sha256(self.good.file_path)
        copy.with_user(self.manager).action_verify_restore()
        self.assertEqual(copy.verify_state, "failed")
        self.assertIn("corrupted", copy.verify_details)
        self.assertTrue(self._manager_notified(copy))
        self.assertEqual(sha256(self.good.file_path), good_sum, "the good backup is untouched")

        # damaged before its checksum was taken: the archive check catches it
        truncated = self._copy_of_good("truncated.dump.zip")
        with open(truncated.file_path, "r+b") as fh:
            fh.truncate(int(truncated.file_size) // 3)
        truncated.sudo().write(
            {"checksum": sha256(truncated.file_path), "file_size": os.path.getsize(truncated.file_path)}
        )
        truncated.with_user(self.manager).action_verify_restore()
        self.assertEqual(truncated.verify_state, "failed")
        self.assertIn("not a valid zip", truncated.verify_details)

        missing = self._copy_of_good("gone.dump.zip")
        os.unlink(missing.file_path)
        missing.with_user(self.manager).action_verify_restore()
        self.assertEqual(missing.verify_state, "failed")
        self.assertIn("missing", missing.verify_details)

    def _assert_failed_cleanly(self, backup, message):
        self.assertEqual(backup.state, "failed")
        self.assertIn(message, backup.error)
        self.assertFalse(backup.file_path)
        self.assertTrue(self._manager_notified(backup), "managers are notified of the failure")
        self.assertTrue(os.path.isfile(self.good.file_path))
        self.assertEqual(sha256(self.good.file_path), self.good.checksum, "older backups are untouched")
        self.assertFalse(self.good.file_deleted)

    def test_unwritable_folder(self):
        readonly = self._mount_tmpfs("ro", "ro,size=1M")
        self.config.folder = readonly
        backup = self.Backup.with_user(self.manager)._run_backup(self.config)
        self._assert_failed_cleanly(backup, "is not writable")

        self.config.folder = os.path.join(readonly, "missing", "folder")
        backup = self.Backup.with_user(self.manager)._run_backup(self.config)
        self._assert_failed_cleanly(backup, "is missing and cannot be created")

    def test_disk_full(self):
        small = self._mount_tmpfs("full", "size=1M")
        older = os.path.join(small, "older.dump.zip")
        with open(older, "wb") as fh:
            fh.write(os.urandom(200 * 1024))
        older_sum = sha256(older)
        self.config.write({"folder": small, "backup_format": "dump"})
        backup = self.Backup.with_user(self.manager)._run_backup(self.config)
        self._assert_failed_cleanly(backup, "not enough disk space")
        self.assertEqual(os.listdir(small), ["older.dump.zip"], "no half-written file is left")
        self.assertEqual(sha256(older), older_sum)

    def test_pg_dump_fails(self):
        # a table the database role may not read (created by someone else, or
        # as here, with its privileges revoked): pg_dump really fails on it.
        # It has to be committed for pg_dump to see it, so it is dropped after.
        with closing(db_connect(self.env.cr.dbname).cursor()) as other:
            other.execute(SQL("CREATE TABLE crm_backup_test_forbidden (id int)"))
            other.execute(SQL("REVOKE ALL ON crm_backup_test_forbidden FROM CURRENT_USER"))
            other.commit()

        def drop_table():
            with closing(db_connect(self.env.cr.dbname).cursor()) as other:
                other.execute(SQL("DROP TABLE IF EXISTS crm_backup_test_forbidden"))
                other.commit()

        self.addCleanup(drop_table)
        backup = self.Backup.with_user(self.manager)._run_backup(self.config)
        self._assert_failed_cleanly(backup, "pg_dump failed")
        self.config.backup_format = "dump"
        backup_dump = self.Backup.with_user(self.manager)._run_backup(self.config)
        self._assert_failed_cleanly(backup_dump, "pg_dump failed")
        self.assertIn("permission denied", backup_dump.error, "pg_dump's own message is kept")
        self.assertEqual(os.listdir(self.folder), [self.good.name])

    def test_new_folder_dump_format_low_space(self):
        folder = os.path.join(self.root, "new", "sub")
        # a configuration of its own, so that retention leaves the class's backup alone
        config = self.config.copy({"folder": folder, "backup_format": "dump", "crm_min_free_mb": 10**9})
        backup = self.Backup.with_user(self.manager)._run_backup(config)
        self.assertEqual(backup.state, "done", backup.error)
        self.assertTrue(os.path.isfile(backup.file_path) and backup.file_path.startswith(folder))
        self.assertTrue(backup.low_space)
        self.assertTrue(
            backup.message_ids.filtered(lambda m: "running out of space" in (m.subject or "")),
            "managers are warned of low space",
        )
        backup.with_user(self.manager).action_verify_restore()
        self.assertEqual(backup.verify_state, "verified", backup.verify_details)

    def test_one_backup_at_a_time(self):
        with closing(db_connect(self.env.cr.dbname).cursor()) as other:
            other.execute(SQL("SELECT pg_advisory_lock(%s)", BACKUP_LOCK_KEY))
            try:
                with self.assertRaisesRegex(UserError, "already running"):
                    self.Backup.with_user(self.manager)._run_backup(self.config)
            finally:
                other.execute(SQL("SELECT pg_advisory_unlock(%s)", BACKUP_LOCK_KEY))
        # the run released its lock: nobody holds it now
        with closing(db_connect(self.env.cr.dbname).cursor()) as other:
            other.execute(SQL("SELECT pg_try_advisory_lock(%s)", BACKUP_LOCK_KEY))
            self.assertTrue(other.fetchone()[0])
            other.execute(SQL("SELECT pg_advisory_unlock(%s)", BACKUP_LOCK_KEY))

    def test_missing_backup_notified(self):
        self.assertFalse(self.Backup._check_missing_backup(), "a fresh backup exists")
        self.Backup.search([]).write({"date_start": datetime.now() - timedelta(days=3)})
        record = self.Backup._check_missing_backup()
        self.assertEqual(record.state, "failed")
        self.assertIn("No backup has succeeded since", record.error)
        self.assertTrue(self._manager_notified(record))
        self.assertFalse(self.Backup._check_missing_backup(), "notified once, not at every check")

    def test_access(self):
        Backup = self.Backup.with_user(self.sales)
        with self.assertRaises(AccessError):
            Backup.action_backup_now()
        with self.assertRaises(AccessError):
            Backup.search([])
        with self.assertRaises(AccessError):
            self.good.with_user(self.sales).action_verify_restore()
        with self.assertRaises(AccessError):
            Backup.get_backup_status()
        with self.assertRaises(AccessError):
            self.good.with_user(self.sales).read(["name"])
        # managers read the log and the status, but cannot rewrite it
        self.assertIn(self.good, self.Backup.with_user(self.manager).search([]))
        status = self.Backup.with_user(self.manager).get_backup_status()
        self.assertEqual(status["last_success"]["date"], self.good.date_start)
        with self.assertRaises(AccessError):
            self.good.with_user(self.manager).write({"state": "failed"})
        with self.assertRaises(AccessError):
            self.good.with_user(self.manager).unlink()


@tagged("post_install", "-at_install", "crm_customer_backup")
class TestBackupRetention(BackupCommon):
    def _make(self, days_ago, hour=1, verified=False, state="done"):
        date = datetime(2026, 11, 27, hour) - timedelta(days=days_ago)
        os.makedirs(self.folder, exist_ok=True)
        name = f"r_{days_ago}_{hour}.dump.zip"
        path = os.path.join(self.folder, name)
        with open(path, "wb") as fh:
            fh.write(name.encode())
        return self.Backup.sudo().create(
            {
                "name": name,
                "config_id": self.config.id,
                "date_start": date,
                "state": state,
                "file_path": path,
                "verify_state": "verified" if verified else "pending",
            }
        )

    def test_retention_daily_weekly_and_verified(self):
        # 2026-11-27 is a Friday; 40 days back, two backups some days
        backups = {days: self._make(days) for days in range(40)}
        second_today = self._make(0, hour=3)
        old_verified = self._make(60, verified=True)
        foreign = os.path.join(self.folder, "not_ours.sql")
        with open(foreign, "w") as fh:
            fh.write("x")
        self.config.write({"crm_keep_daily": 3, "crm_keep_weekly": 2})
        removed = self.Backup._apply_retention(self.config)

        kept = self.Backup.sudo().search([("config_id", "=", self.config.id), ("file_deleted", "=", False)])
        # newest of each of the last 3 days; newest of this week (Fri) and last week (Sun 22nd);
        # the only verified backup
        expected = second_today | backups[1] | backups[2] | backups[5] | old_verified
        self.assertEqual(kept, expected)
        self.assertEqual(removed, (self.Backup.browse([b.id for b in backups.values()]) - expected))
        for backup in removed:
            self.assertFalse(os.path.exists(backup.file_path))
            self.assertTrue(backup.date_deleted)
        for backup in kept:
            self.assertTrue(os.path.exists(backup.file_path))
        self.assertTrue(os.path.exists(foreign), "files the log did not write are never touched")

        # running it again changes nothing
        self.assertFalse(self.Backup._apply_retention(self.config))

    def test_retention_keeps_newest_even_if_failed_verification(self):
        newest = self._make(0)
        newest.sudo().verify_state = "mismatch"
        older = self._make(1)
        self.config.write({"crm_keep_daily": 1, "crm_keep_weekly": 0})
        self.Backup._apply_retention(self.config)
        self.assertFalse(newest.file_deleted)
        self.assertTrue(older.file_deleted)


@tagged("post_install", "-at_install", "crm_customer_backup")
class TestBackupSettings(BackupCommon):
    def test_settings(self):
        admin = self.env.ref("base.user_admin")
        admin.tz = "Asia/Shanghai"
        cron = self.env.ref("crm_customer_template.ir_cron_crm_customer_backup")
        settings = Form(self.env["res.config.settings"].with_user(admin))
        self.assertTrue(settings.crm_backup_enabled, "on by default")
        self.assertTrue(settings.crm_backup_include_filestore)
        settings.crm_backup_time = 3.5
        settings.crm_backup_keep_daily = 10
        settings.crm_backup_keep_weekly = 6
        settings.crm_backup_folder = os.path.join(self.root, "elsewhere")
        settings.crm_backup_include_filestore = False
        settings.save().execute()
        self.assertEqual(self.config.folder, os.path.join(self.root, "elsewhere"))
        self.assertEqual((self.config.crm_keep_daily, self.config.crm_keep_weekly), (10, 6))
        self.assertEqual(self.config.backup_format, "dump")
        self.assertTrue(cron.active)
        # 03:30 in Shanghai is 19:30 UTC
        self.assertEqual((cron.nextcall.hour, cron.nextcall.minute), (19, 30))
        self.assertGreater(cron.nextcall, fields.Datetime.now())
        self.assertLessEqual(cron.nextcall, fields.Datetime.now() + timedelta(days=1))

        settings = Form(self.env["res.config.settings"].with_user(admin))
        settings.crm_backup_enabled = False
        settings.save().execute()
        self.assertFalse(cron.active)

    def test_oca_scheduler_leaves_our_record_alone(self):
        """OCA's own "Backup Scheduler" skips the record our cron runs (no
        second, unlogged backup) and OCA's age cleanup does not touch it."""
        self.env["db.backup"].action_backup_all()
        self.assertFalse(self.Backup.search_count([]))
        self.assertFalse(os.path.exists(self.folder))
        os.makedirs(self.folder)
        old = os.path.join(self.folder, "2000_01_01_00_00_00.dump.zip")  # OCA's name, 26 years old
        with open(old, "wb") as fh:
            fh.write(b"old")
        self.config.days_to_keep = 1
        self.config.cleanup()
        self.assertTrue(os.path.exists(old), "only our retention deletes our files")

    def test_default_folder_inside_data_dir(self):
        from odoo.tools import config as odoo_config

        default = self.config._crm_default_folder()
        self.assertTrue(default.startswith(os.path.join(odoo_config["data_dir"], "backups")))

    def test_bad_folders_refused(self):
        with self.assertRaises(ValidationError):
            self.config.write({"folder": "relative/path"})
        addon_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        with self.assertRaises(ValidationError):
            self.config.write({"folder": os.path.join(addon_dir, "backups")})
        with self.assertRaisesRegex(ValidationError, "at least one daily"), self.cr.savepoint():
            self.config.write({"crm_keep_daily": 0})
        self.config.invalidate_recordset()
        with self.assertRaisesRegex(ValidationError, "between 00:00 and 23:59"), self.cr.savepoint():
            self.config.write({"crm_time_of_day": 24})
        self.config.invalidate_recordset()
        with self.assertRaises(UserError):
            self.config.unlink()


@tagged("post_install", "-at_install", "crm_customer_backup")
class TestBackupRpc(HttpCase):
    def test_rpc_refuses_salesperson(self):
        new_test_user(self.env, login="bk_rpc_sales", groups="crm_customer_template.group_crm_customer_user")
        common = self.xmlrpc_common
        uid = common.authenticate(self.env.cr.dbname, "bk_rpc_sales", "bk_rpc_sales", {})
        self.assertTrue(uid)
        for method, args in (
            ("action_backup_now", []),
            ("get_backup_status", []),
            ("search_read", [[]]),
        ):
            with self.assertRaises(Fault) as caught:
                self.xmlrpc_object.execute_kw(
                    self.env.cr.dbname, uid, "bk_rpc_sales", "crm.customer.backup", method, args
                )
            self.assertEqual(caught.exception.faultCode, 4, caught.exception.faultString)  # AccessError
        # private methods are not callable over RPC at all
        with self.assertRaises(Fault) as caught:
            self.xmlrpc_object.execute_kw(
                self.env.cr.dbname, uid, "bk_rpc_sales", "crm.customer.backup", "_run_backup", [False]
            )
        self.assertIn("Private methods", caught.exception.faultString)
