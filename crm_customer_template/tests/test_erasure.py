# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import json

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .access_common import CrmCustomerAccessCommon

PERSON_PHONE = "13622223333"
PERSON_NAME = "Chen Xiaoming"
TABLES = (
    "crm_customer",
    "crm_customer_followup",
    "crm_customer_need",
    "crm_customer_feedback",
    "crm_customer_change_request",
    "crm_customer_erasure",
    "crm_customer_log",
    "mail_message",
    "mail_tracking_value",
    "mail_activity",
    "ir_attachment",
)


@tagged("post_install", "-at_install", "crm_customer_access")
class TestErasure(CrmCustomerAccessCommon):
    def _flush_tracking(self):
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.flush_all()

    def _occurrences(self, text):
        found = {}
        for table in TABLES:
            self.env.cr.execute(
                f"SELECT count(*) FROM {table} t WHERE row_to_json(t)::text LIKE %s",  # noqa: S608
                (f"%{text}%",),
            )
            count = self.env.cr.fetchone()[0]
            if count:
                found[table] = count
        return found

    def test_erase_person(self):
        customer = self.env["crm.customer"].create(
            self._customer_vals(
                name="Chen X.",
                customer_kind="person",
                contact_name=PERSON_NAME,
                phone=PERSON_PHONE,
                email="chen.xm@example.cn",
                street="88 Nanjing Road",
                user_id=self.user_sales_a.id,
            )
        )
        # tracked changes, messages, attachments, children and a pending change request
        self._flush_tracking()  # creation and changes in one transaction are not tracked
        customer.write({"name": PERSON_NAME})
        customer.message_post(body=f"Called {PERSON_NAME} on {PERSON_PHONE}")
        self.env["ir.attachment"].create(
            {
                "name": "id_card.txt",
                "datas": base64.b64encode(PERSON_PHONE.encode()),
                "res_model": "crm.customer",
                "res_id": customer.id,
            }
        )
        followup = self.env["crm.customer.followup"].create(
            {
                "customer_id": customer.id,
                "method_id": self.env.ref(
                    "crm_customer_template.crm_customer_followup_method_phone"
                ).id,
                "content": f"{PERSON_NAME} asked to call back on {PERSON_PHONE}",
                "next_plan": f"Call {PERSON_NAME} again",
            }
        )
        need = self.env["crm.customer.need"].create(
            {
                "customer_id": customer.id,
                "need_type_id": self.env.ref(
                    "crm_customer_template.crm_customer_need_type_product"
                ).id,
                "description": f"{PERSON_NAME} wants a quote",
            }
        )
        need.message_post(body=f"Quote sent to {PERSON_NAME}")
        customer.with_user(self.user_leader).write({"contact_name": "Chen Da"})
        self._flush_tracking()
        self.assertTrue(self._occurrences(PERSON_NAME).get("mail_tracking_value"))
        self.assertTrue(self._occurrences(PERSON_NAME).get("mail_message"))

        # only managers may erase
        wizard_vals = {
            "customer_ids": [(6, 0, customer.ids)],
            "request_reference": "PIPL-2026-001",
            "confirm": True,
        }
        with self.assertRaises(AccessError), self.cr.savepoint():
            self.env["crm.customer.erase"].with_user(self.user_sales_a).create(
                wizard_vals
            ).action_erase()
        with self.assertRaises(AccessError), self.cr.savepoint():
            self.env["crm.customer.erasure"].with_user(self.user_sales_a)._erase_customers(
                customer, "X"
            )
        self.env["crm.customer.erase"].with_user(self.user_manager).create(
            wizard_vals
        ).action_erase()
        self._flush_tracking()

        for text in (PERSON_PHONE, PERSON_NAME, "Chen Da", "chen.xm@example.cn", "Nanjing Road"):
            self.assertEqual(self._occurrences(text), {}, text)
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", "crm.customer"), ("res_id", "=", customer.id)]
            )
        )
        # the business record and its children remain
        self.assertTrue(customer.exists())
        self.assertEqual(customer.customer_kind, "person")
        self.assertEqual(customer.code[:1], "C")
        self.assertTrue(followup.exists() and need.exists())
        self.assertFalse(customer.phone)
        self.assertEqual(customer.contact_name, "Erased")
        # the register keeps salted hashes only
        register = (
            self.env["crm.customer.erasure"]
            .with_user(self.user_manager)
            .search([("customer_id", "=", customer.id)])
        )
        self.assertEqual(register.request_reference, "PIPL-2026-001")
        self.assertEqual(register.user_id, self.user_manager)
        hashes = json.loads(register.identifier_hashes)
        salt = register.sudo().salt
        self.assertIn(register._hash_identifier(salt, PERSON_PHONE), hashes)
        self.assertIn(register._hash_identifier(salt, PERSON_NAME), hashes)
        self.assertEqual(
            len(
                self.env["crm.customer.log"].search(
                    [("operation", "=", "erasure"), ("customer_id", "=", customer.id)]
                )
            ),
            1,
        )
        # append-only, like the log
        with self.assertRaises(AccessError), self.cr.savepoint():
            register.sudo().write({"request_reference": "changed"})
        with self.assertRaises(AccessError), self.cr.savepoint():
            register.sudo().unlink()
