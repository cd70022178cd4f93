# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .access_common import PHONE_A, PHONE_B, CrmCustomerAccessCommon

MASKED_A = "138****5678"


@tagged("post_install", "-at_install", "crm_customer_access")
class TestMasking(CrmCustomerAccessCommon):
    def _set_restrict(self, value):
        self.env["ir.config_parameter"].sudo().set_param(
            "crm_customer_template.restrict_owner_full_contact", "True" if value else "False"
        )
        self.env["crm.customer"].invalidate_model(["phone_masked"])

    def test_masked_for_non_owner_full_for_right_and_owner(self):
        leader_view = self.customer_a.with_user(self.user_leader)
        self.assertEqual(leader_view.phone_masked, MASKED_A)
        self.assertEqual(self.customer_a.with_user(self.user_auditor).phone_masked, MASKED_A)
        self.assertEqual(self.customer_a.with_user(self.user_manager).phone_masked, PHONE_A)
        self.assertEqual(
            self.customer_a.with_user(self.user_manager).read(["phone"])[0]["phone"], PHONE_A
        )
        # the owner can call their customer...
        self.assertEqual(self.customer_a.with_user(self.user_sales_a).phone_masked, PHONE_A)
        # ...unless the setting restricts full numbers to the right
        self._set_restrict(True)
        self.assertEqual(self.customer_a.with_user(self.user_sales_a).phone_masked, MASKED_A)
        self.assertEqual(self.customer_a.with_user(self.user_manager).phone_masked, PHONE_A)

    def test_clear_field_unreadable_without_right(self):
        for user in (self.user_sales_a, self.user_leader, self.user_auditor):
            with self.assertRaises(AccessError), self.cr.savepoint():
                self.customer_a.with_user(user).read(["phone"])
            with self.assertRaises(AccessError), self.cr.savepoint():
                self.customer_a.with_user(user).read(["phone_encrypted"])
            with self.assertRaises(AccessError), self.cr.savepoint():
                self.customer_a.with_user(user).export_data(["phone"])
            fields = self.env["crm.customer"].with_user(user).fields_get()
            self.assertNotIn("phone", fields)
            self.assertNotIn("phone_hash", fields)
            self.assertIn("phone_masked", fields)

    def test_paths_return_masked_values(self):
        Customer = self.env["crm.customer"].with_user(self.user_leader)
        # search_read / web_search_read as the list view does
        rows = Customer.search_read(
            [("id", "=", self.customer_a.id)], ["phone_masked", "display_name"]
        )
        self.assertEqual(rows[0]["phone_masked"], MASKED_A)
        web = Customer.web_search_read(
            [("id", "=", self.customer_a.id)], {"phone_masked": {}, "display_name": {}}
        )
        self.assertEqual(web["records"][0]["phone_masked"], MASKED_A)
        # exports
        data = self.customer_a.with_user(self.user_leader).export_data(["name", "phone_masked"])[
            "datas"
        ]
        self.assertEqual(data, [["Alpha Tech Co.", MASKED_A]])
        # display_name / name_search never carry the number
        self.assertNotIn(PHONE_A, self.customer_a.with_user(self.user_leader).display_name)
        for _id, name in Customer.name_search("Alpha"):
            self.assertNotIn(PHONE_A, name)
        # read_group cannot group or aggregate on the clear number
        with self.assertRaises(ValueError), self.cr.savepoint():
            Customer.read_group([], ["phone"], ["phone"])
        with self.assertRaises(AccessError), self.cr.savepoint():
            Customer.read_group([], ["phone_hash"], ["phone_hash"])
        groups = Customer.read_group([], ["user_id"], ["user_id"])
        self.assertNotIn(PHONE_A, str(groups))

    def test_search_by_full_phone(self):
        Customer = self.env["crm.customer"]
        for fname in ("phone", "phone_masked"):
            self.assertEqual(
                Customer.with_user(self.user_sales_a).search([(fname, "=", PHONE_A)]),
                self.customer_a,
            )
            # formatted input is normalised before hashing
            self.assertEqual(
                Customer.with_user(self.user_sales_a).search(
                    [(fname, "ilike", "+86 138-1234-5678")]
                ),
                self.customer_a,
            )
            # a number of a customer the user cannot see finds nothing
            self.assertFalse(Customer.with_user(self.user_sales_a).search([(fname, "=", PHONE_B)]))
            # partial numbers cannot match encrypted data
            self.assertFalse(
                Customer.with_user(self.user_manager).search([(fname, "ilike", "1381234")])
            )
        self.assertEqual(
            Customer.with_user(self.user_manager).search([("phone", "in", [PHONE_A, PHONE_B])]),
            self.customer_a | self.customer_b,
        )
        self.assertNotIn(self.customer_a, Customer.search([("phone", "!=", PHONE_A)]))
        # set / not set, as a user who cannot read the hidden columns
        AsLeader = Customer.with_user(self.user_leader)
        self.assertIn(self.customer_a, AsLeader.search([("phone_masked", "!=", False)]))
        self.assertNotIn(self.customer_a, AsLeader.search([("email_masked", "!=", False)]))
        self.assertIn(self.customer_a, AsLeader.search([("email", "=", False)]))
        self.assertEqual(AsLeader.search([("phone", "not in", [PHONE_A])]) & self.customer_a, Customer)
        # archived customers are found when the caller asks for them
        self.customer_a.action_archive()
        self.assertFalse(AsLeader.search([("phone", "=", PHONE_A)]))
        self.assertEqual(
            AsLeader.with_context(active_test=False).search([("phone", "=", PHONE_A)]),
            self.customer_a,
        )

    def test_salesperson_writes_phone_through_masked_field(self):
        customer = self.customer_a.with_user(self.user_sales_a)
        customer.write({"phone_masked": "139 0000 1111"})
        self.assertEqual(self.customer_a.phone, "13900001111")
        # the clear field name works too: writing is not reading
        customer.write({"phone": "13900002222"})
        self.assertEqual(self.customer_a.phone, "13900002222")
        # a masked value sent back unchanged is a no-op, any other masked value is refused
        self.customer_a.with_user(self.user_leader).invalidate_recordset()
        with self.assertRaises(UserError), self.cr.savepoint():
            customer.write({"phone_masked": "139****9999"})
        # invalid numbers are refused with the field named
        with self.assertRaisesRegex(Exception, "Phone"), self.cr.savepoint():
            customer.write({"phone": "12345"})

    def test_create_as_salesperson_with_masked_field(self):
        customer = (
            self.env["crm.customer"]
            .with_user(self.user_sales_a)
            .create(self._customer_vals(phone=False, phone_masked="+86 137-0000-9999"))
        )
        self.assertEqual(customer.sudo().phone, "13700009999")
        self.assertEqual(customer.with_user(self.user_leader).phone_masked, "137****9999")

    def test_tracking_never_carries_the_number(self):
        self.customer_a.with_user(self.user_sales_a).write({"phone": "13900003333"})
        self.customer_a.with_user(self.user_manager).write({"phone": "13900004444", "grade": "b"})
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT count(*) FROM mail_tracking_value v JOIN mail_message m ON m.id = v.mail_message_id "
            "WHERE m.model = 'crm.customer' AND m.res_id = %s AND (v.old_value_char LIKE '%%139000%%' "
            "OR v.new_value_char LIKE '%%139000%%' OR v.old_value_char LIKE %s OR v.new_value_char LIKE %s)",
            (self.customer_a.id, f"%{PHONE_A}%", f"%{PHONE_A}%"),
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        self.env.cr.execute(
            "SELECT count(*) FROM mail_message WHERE model = 'crm.customer' AND res_id = %s "
            "AND (body::text LIKE '%%139000%%' OR body::text LIKE %s)",
            (self.customer_a.id, f"%{PHONE_A}%"),
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)

    def test_email_is_encrypted_and_masked_too(self):
        self.customer_a.write({"email": " Zhang.Wei@Alpha.cn "})
        self.assertEqual(self.customer_a.email, "zhang.wei@alpha.cn")
        self.assertEqual(self.customer_a.with_user(self.user_leader).email_masked, "z***@alpha.cn")
        self.assertEqual(
            self.customer_a.with_user(self.user_sales_a).email_masked, "zhang.wei@alpha.cn"
        )
        with self.assertRaises(AccessError), self.cr.savepoint():
            self.customer_a.with_user(self.user_leader).read(["email"])
        Customer = self.env["crm.customer"]
        self.assertEqual(
            Customer.with_user(self.user_leader).search([("email", "=", "ZHANG.WEI@alpha.cn")]),
            self.customer_a,
        )
        self.assertFalse(
            Customer.with_user(self.user_sales_b).search(
                [("email_masked", "=", "zhang.wei@alpha.cn")]
            )
        )
        # the owner edits it without the right; nobody else's value is touched
        self.customer_a.with_user(self.user_sales_a).write({"email": "new@alpha.cn"})
        self.assertEqual(self.customer_a.email, "new@alpha.cn")
        self.assertEqual(self.customer_a.phone, PHONE_A)
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT count(*) FROM crm_customer WHERE row_to_json(crm_customer)::text LIKE '%%alpha.cn%%'"
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)

    def test_masked_read_is_batched(self):
        """Reading masked values costs the same number of queries for 2 or 40 rows."""
        self.env["crm.customer"].create(
            [
                self._customer_vals(
                    name=f"Batch {i}",
                    phone=f"1390000{i:04d}",
                    email=f"b{i}@x.cn",
                    user_id=self.user_sales_a.id,
                )
                for i in range(38)
            ]
        )
        Customer = self.env["crm.customer"].with_user(self.user_leader)

        def queries(limit):
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            rows = Customer.search_read(
                [("user_id", "=", self.user_sales_a.id)],
                ["name", "phone_masked", "email_masked"],
                limit=limit,
            )
            self.assertEqual(len(rows), limit)
            self.assertTrue(all("****" in row["phone_masked"] for row in rows))
            return self.cr.sql_log_count - start

        queries(39)  # warm the caches (groups, rules, settings)
        small, large = queries(2), queries(39)
        self.assertEqual(small, large)
        self.assertLessEqual(large, 3)
