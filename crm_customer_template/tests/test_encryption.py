# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import os
import subprocess
import sys
import tempfile
from unittest.mock import patch

from cryptography.fernet import Fernet

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tests import tagged
from odoo.tools import config

from ..models.sensitive_field_mixin import KEY_OPTION, SensitiveKeyError, get_cipher
from .access_common import PHONE_A, PHONE_B, CrmCustomerAccessCommon

DUMP_PHONE = "13566667777"
DUMP_EMAIL = "dump.check@example.cn"


@tagged("post_install", "-at_install", "crm_customer_access")
class TestEncryption(CrmCustomerAccessCommon):
    def _pg_env(self):
        env = dict(os.environ)
        if config.get("db_password"):
            env["PGPASSWORD"] = config["db_password"]
        return env

    def _pg_args(self):
        args = []
        for option, flag in (("db_host", "-h"), ("db_port", "-p"), ("db_user", "-U")):
            if config.get(option):
                args += [flag, str(config[option])]
        return args

    def test_pg_dump_discloses_no_phone(self):
        """Commit a customer in a separate transaction, dump the database, grep."""
        dbname = self.env.cr.dbname
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            customer = env["crm.customer"].create(
                # an explicit code: the test transaction holds the sequence row
                self._customer_vals(
                    name="Dump Check Co.",
                    contact_name="Dump Check",
                    phone=DUMP_PHONE,
                    email=DUMP_EMAIL,
                    code="CDUMPCHECK001",
                )
            )
            customer.message_post(body="Phone updated")  # chatter of a real customer
            cr.commit()
            customer_id = customer.id
        try:
            dump = subprocess.run(
                ["pg_dump", "--no-owner", *self._pg_args(), dbname],
                capture_output=True,
                env=self._pg_env(),
                check=True,
                timeout=300,
            ).stdout.decode()
            self.assertIn("Dump Check Co.", dump)  # the dump does hold the customer...
            self.assertIn("gAAAAA", dump)  # ...with Fernet tokens
            formats = (
                DUMP_PHONE,
                "135 6666 7777",
                "135-6666-7777",
                "6666777",
                DUMP_EMAIL,
                "dump.check",
            )
            for text in formats:
                self.assertNotIn(text, dump)
            # nor any committed (e.g. demo) customer's number
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                customers = env["crm.customer"].with_context(active_test=False).search([])
                phones = [p for p in customers.mapped("phone") if p]
                emails = [e for e in customers.mapped("email") if e]
            self.assertIn(DUMP_PHONE, phones)
            self.assertIn(DUMP_EMAIL, emails)
            for value in phones + emails:
                self.assertNotIn(value, dump)
        finally:
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env["crm.customer"].browse(customer_id).unlink()
                env.flush_all()
                # the log is append-only through the ORM; the test cleans its own row
                cr.execute(
                    "DELETE FROM crm_customer_log WHERE res_model = 'crm.customer' AND res_id = %s",
                    (customer_id,),
                )
                cr.commit()

    def test_key_rotation_round_trip(self):
        Mixin = self.env["crm.customer.sensitive.mixin"]
        old_key = config[KEY_OPTION]
        new_key = Fernet.generate_key().decode()
        self.env.flush_all()
        self.env.cr.execute("SELECT id, phone_encrypted, phone_hash FROM crm_customer ORDER BY id")
        before = self.env.cr.fetchall()
        # a pending change request holds an encrypted value too
        self.customer_a.with_user(self.user_leader).write({"phone": "13900007777"})
        request = self.env["crm.customer.change.request"].search([("customer_id", "=", self.customer_a.id)])
        self.env.flush_all()
        count = Mixin._sensitive_rotate_key(new_key)
        self.assertGreaterEqual(count, 3)
        self.env.cr.execute("SELECT id, phone_encrypted, phone_hash FROM crm_customer ORDER BY id")
        after = self.env.cr.fetchall()
        self.assertEqual(len(before), len(after))
        for (_id, token_before, hash_before), (_id2, token_after, hash_after) in zip(
            before, after, strict=True
        ):
            if token_before:
                self.assertNotEqual(token_before, token_after)
                self.assertNotEqual(hash_before, hash_after)
        # the old key no longer decrypts: a clear error, not garbage
        self.env["crm.customer"].invalidate_model()
        with self.assertRaises(SensitiveKeyError):
            self.customer_a.phone  # noqa: B018
        with self.assertRaises(SensitiveKeyError):
            Mixin._register_hook()
        with patch.dict(config.options, {KEY_OPTION: new_key}):
            self.env["crm.customer"].invalidate_model()
            self.assertEqual(self.customer_a.phone, PHONE_A)
            self.assertEqual(
                self.env["crm.customer"].search([("phone", "=", PHONE_B)]), self.customer_b
            )
            Mixin._register_hook()
            request.invalidate_recordset()
            self.assertEqual(request.new_value, "13900007777")
            # and back
            Mixin._sensitive_rotate_key(old_key)
        self.env["crm.customer"].invalidate_model()
        self.assertEqual(self.customer_a.phone, PHONE_A)
        self.assertEqual(
            self.env["crm.customer"].search([("phone", "=", PHONE_A)]), self.customer_a
        )

    def test_batch_decrypt_is_fernet(self):
        """decrypt_many reads the very Fernet tokens decrypt reads, and refuses
        what Fernet refuses (wrong key, altered token) with the same error."""
        cipher = get_cipher()
        clears = ["", "a", "x" * 15, "y" * 16, "z" * 17, "13800001234", "张伟@例子.中国",
                  "w" * 300, "_x000D_ <&> \r\n"]
        tokens = [cipher.encrypt(value) for value in clears] + [False, None]
        self.assertEqual(
            cipher.decrypt_many(tokens), [cipher.decrypt(token) for token in tokens]
        )
        self.assertEqual(cipher.decrypt_many(tokens), [v or False for v in clears] + [False] * 2)
        self.assertEqual(cipher.decrypt_many([]), [])
        good = cipher.encrypt("13800001234")
        other = Fernet(Fernet.generate_key()).encrypt(b"13800001234").decode()
        raw = bytearray(base64.urlsafe_b64decode(good))
        raw[30] ^= 1  # one ciphertext bit
        altered = base64.urlsafe_b64encode(bytes(raw)).decode()
        # like Fernet (base64 decoding stops at the padding), trailing data is ignored
        self.assertEqual(cipher.decrypt_many([good + good]), [cipher.decrypt(good + good)])
        for bad in (other, altered, good[:-4], "not a token", "gAAAA"):
            with self.assertRaisesRegex(SensitiveKeyError, KEY_OPTION):
                cipher.decrypt_many([good, bad])
            with self.assertRaises(SensitiveKeyError):
                cipher.decrypt(bad)

    def test_missing_or_malformed_key_is_a_clear_error(self):
        self.env["crm.customer"].invalidate_model()
        with (
            patch.dict(config.options, {KEY_OPTION: ""}),
            patch.dict(os.environ, {"CRM_CUSTOMER_KEY": ""}),
        ):
            with self.assertRaisesRegex(SensitiveKeyError, KEY_OPTION):
                self.customer_a.phone  # noqa: B018
            with self.assertRaisesRegex(SensitiveKeyError, KEY_OPTION):
                self.env["crm.customer.sensitive.mixin"]._register_hook()
        with patch.dict(config.options, {KEY_OPTION: "not-a-key"}):
            with self.assertRaisesRegex(SensitiveKeyError, "32 bytes"):
                self.env["crm.customer"].create(self._customer_vals())

    def test_wrong_key_stops_the_server_at_start(self):
        """A real Odoo start on this database with another key fails with the message."""
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT 1 FROM ir_config_parameter WHERE key = 'crm_customer_template.key_fingerprint'"
        )
        self.assertTrue(self.env.cr.fetchone(), "the fingerprint is written at start-up")
        with open(config.rcfile) as source:
            lines = [line for line in source if not line.startswith(KEY_OPTION)]
        with tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False) as conf:
            conf.writelines(lines)
            conf.write(f"{KEY_OPTION} = {Fernet.generate_key().decode()}\n")
        try:
            odoo_bin = os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "odoo-bin")
            result = subprocess.run(
                [
                    sys.executable,
                    odoo_bin,
                    "-c",
                    conf.name,
                    "-d",
                    self.env.cr.dbname,
                    "--stop-after-init",
                    "--no-http",
                    "--log-level=error",
                ],
                capture_output=True,
                timeout=300,
                check=False,
            )
        finally:
            os.unlink(conf.name)
        output = (result.stdout + result.stderr).decode()
        self.assertIn("is not the key this database was encrypted with", output)

    def test_bench_generator_encrypts_like_the_orm(self):
        """bench/generate.py writes phones with raw SQL through one class; its
        values must be what the ORM stores."""
        import importlib.util  # noqa: PLC0415

        path = os.path.join(os.path.dirname(__file__), "..", "..", "bench", "generate.py")
        spec = importlib.util.spec_from_file_location("crm_bench_generate", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        columns = module.SensitiveCustomerColumns(self.env)
        self.assertEqual(
            columns.columns, ("phone_encrypted", "phone_hash", "email_encrypted", "email_hash")
        )
        values = columns.values("13511112222", "Gen@Example.cn")
        self.assertNotIn("13511112222", "".join(values))
        self.assertNotIn("gen@example.cn", "".join(values).lower())
        self.env.cr.execute(
            "UPDATE crm_customer SET phone_encrypted = %s, phone_hash = %s, email_encrypted = %s, "
            "email_hash = %s WHERE id = %s",
            (*values, self.customer_b.id),
        )
        self.env["crm.customer"].invalidate_model()
        self.assertEqual(self.customer_b.phone, "13511112222")
        self.assertEqual(self.customer_b.email, "gen@example.cn")
        self.assertEqual(
            self.env["crm.customer"].search([("phone", "=", "135 1111 2222")]), self.customer_b
        )
        self.assertEqual(
            self.env["crm.customer"].search([("email", "=", "GEN@example.cn")]), self.customer_b
        )
        self.assertEqual(columns.values(None, None), ("\\N",) * 4)
