# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .access_common import CrmCustomerAccessCommon

MODELS = ("crm.customer", "crm.customer.followup", "crm.customer.need", "crm.customer.feedback")
WRITE_VALS = {
    "crm.customer": {"grade": "a"},
    "crm.customer.followup": {"content": "Edited"},
    "crm.customer.need": {"description": "Edited"},
    "crm.customer.feedback": {"description": "Edited"},
}


class _Rollback(Exception):
    pass


@tagged("post_install", "-at_install", "crm_customer_access")
class TestAccessMatrix(CrmCustomerAccessCommon):
    """Role × model × operation: zero leaks, zero wrongful denials."""

    # which of the two customers ('a' owned by Sales A in Leader's team, 'b'
    # owned by Sales B) each role may read / write; children follow their customer
    READ = {
        "sales_a": {"a"},
        "sales_b": {"b"},
        "leader": {"a"},
        "manager": {"a", "b"},
        "auditor": {"a", "b"},
    }
    WRITE = {
        "sales_a": {"a"},
        "sales_b": {"b"},
        "leader": {"a"},
        "manager": {"a", "b"},
        "auditor": set(),
    }

    def _users(self):
        return {
            "sales_a": self.user_sales_a,
            "sales_b": self.user_sales_b,
            "leader": self.user_leader,
            "manager": self.user_manager,
            "auditor": self.user_auditor,
        }

    def _record(self, model, key):
        if model == "crm.customer":
            return self.customer_a if key == "a" else self.customer_b
        return self.children[key][model]

    def _attempt(self, func):
        """True when ``func`` succeeds (its effect rolled back), False on AccessError."""
        try:
            with self.cr.savepoint():
                func()
                raise _Rollback
        except _Rollback:
            return True
        except AccessError:
            return False

    def _can_unlink(self, role, model, key):
        if model == "crm.customer":
            return role == "manager"
        return key in self.WRITE[role]

    def test_matrix(self):
        checked = 0
        for role, user in self._users().items():
            for model in MODELS:
                Model = self.env[model].with_user(user)
                both = self._record(model, "a") | self._record(model, "b")
                visible = {self._record(model, key).id for key in self.READ[role]}
                with self.subTest(role=role, model=model, op="search"):
                    self.assertEqual(set(Model.search([("id", "in", both.ids)]).ids), visible)
                with self.subTest(role=role, model=model, op="search_count"):
                    self.assertEqual(Model.search_count([("id", "in", both.ids)]), len(visible))
                with self.subTest(role=role, model=model, op="read_group"):
                    groups = Model.read_group(
                        [("id", "in", both.ids)], ["company_id"], ["company_id"]
                    )
                    self.assertEqual(sum(g["company_id_count"] for g in groups), len(visible))
                for key in ("a", "b"):
                    record = self._record(model, key).with_user(user)
                    readable = key in self.READ[role]
                    writable = key in self.WRITE[role]
                    with self.subTest(role=role, model=model, key=key, op="read"):
                        self.assertEqual(
                            self._attempt(lambda r=record: r.read(["display_name"])), readable
                        )
                    with self.subTest(role=role, model=model, key=key, op="name_search"):
                        name = self._record(model, key).display_name
                        found = [rid for rid, _name in Model.name_search(name, limit=None)]
                        self.assertEqual(record.id in found, readable)
                    with self.subTest(role=role, model=model, key=key, op="export_data"):
                        self.assertEqual(
                            self._attempt(lambda r=record: r.export_data(["display_name"])),
                            readable,
                        )
                    with self.subTest(role=role, model=model, key=key, op="write"):
                        self.assertEqual(
                            self._attempt(lambda r=record, m=model: r.write(WRITE_VALS[m])),
                            writable,
                        )
                    with self.subTest(role=role, model=model, key=key, op="unlink"):
                        self.assertEqual(
                            self._attempt(lambda r=record: r.unlink()),
                            self._can_unlink(role, model, key),
                        )
                    with self.subTest(role=role, model=model, key=key, op="create"):
                        if model == "crm.customer":
                            expected = role != "auditor"
                            func = lambda M=Model: M.create(self._customer_vals())  # noqa: E731
                        else:
                            expected = writable
                            customer = self._record("crm.customer", key)
                            vals = dict(self.child_vals[model], customer_id=customer.id)
                            func = lambda M=Model, v=vals: M.create(v)  # noqa: E731
                        self.assertEqual(self._attempt(func), expected)
                    checked += 7
        self.assertEqual(checked, 5 * 4 * 2 * 7)

    def test_salesperson_cannot_give_customer_away(self):
        customer = self.customer_a.with_user(self.user_sales_a)
        with self.assertRaises(AccessError), self.cr.savepoint():
            customer.write({"user_id": self.user_sales_b.id})
        with self.assertRaises(AccessError), self.cr.savepoint():
            self.env["crm.customer"].with_user(self.user_sales_a).create(
                self._customer_vals(user_id=self.user_sales_b.id)
            )
        self.assertEqual(self.customer_a.user_id, self.user_sales_a)
        # keeping it for themselves is fine
        customer.write({"user_id": self.user_sales_a.id})

    def test_team_leader_assigns_within_team_only(self):
        customer = self.customer_a.with_user(self.user_leader)
        with self.assertRaises(AccessError), self.cr.savepoint():
            customer.write({"user_id": self.user_sales_b.id})
        customer.write({"user_id": self.user_leader.id})
        self.assertEqual(self.customer_a.user_id, self.user_leader)
        customer.write({"user_id": self.user_sales_a.id})
        self.assertEqual(self.customer_a.user_id, self.user_sales_a)

    def test_manager_transfers_and_transfer_is_logged(self):
        self.customer_a.with_user(self.user_manager).write({"user_id": self.user_sales_b.id})
        self.assertEqual(self.customer_a.user_id, self.user_sales_b)
        log = self.env["crm.customer.log"].search(
            [("operation", "=", "owner"), ("customer_id", "=", self.customer_a.id)]
        )
        self.assertEqual(len(log), 1)
        self.assertEqual(log.user_id, self.user_manager)
        # Sales A lost it, Sales B got it
        self.assertFalse(
            self.env["crm.customer"]
            .with_user(self.user_sales_a)
            .search([("id", "=", self.customer_a.id)])
        )

    def test_code_cannot_change(self):
        for user in (self.user_sales_a, self.user_manager):
            with self.assertRaises(UserError), self.cr.savepoint():
                self.customer_a.with_user(user).write({"code": "C20000101001"})

    def test_cannot_attach_children_to_invisible_customer(self):
        for model, vals in self.child_vals.items():
            with self.assertRaises(AccessError), self.cr.savepoint():
                self.env[model].with_user(self.user_sales_a).create(
                    dict(vals, customer_id=self.customer_b.id)
                )
            # nor move an own child onto someone else's customer
            with self.assertRaises(AccessError), self.cr.savepoint():
                self.children["a"][model].with_user(self.user_sales_a).write(
                    {"customer_id": self.customer_b.id}
                )

    def test_chatter_of_invisible_customer(self):
        self.customer_b.message_post(body="Private note about Beta")
        messages = (
            self.env["mail.message"]
            .with_user(self.user_sales_a)
            .search([("model", "=", "crm.customer"), ("res_id", "=", self.customer_b.id)])
        )
        self.assertFalse(messages)
        with self.assertRaises(AccessError), self.cr.savepoint():
            self.customer_b.with_user(self.user_sales_a).message_post(body="Intrusion")

    def test_multi_company(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        self.user_manager.write({"company_ids": [(4, other.id)]})
        foreign = (
            self.env["crm.customer"]
            .with_company(other)
            .create(self._customer_vals(company_id=other.id, user_id=self.user_manager.id))
        )
        # the manager sees it only when the company is allowed in the context
        Customer = self.env["crm.customer"].with_user(self.user_manager)
        self.assertNotIn(
            foreign, Customer.with_context(allowed_company_ids=[self.env.company.id]).search([])
        )
        self.assertIn(
            foreign,
            Customer.with_context(allowed_company_ids=[self.env.company.id, other.id]).search([]),
        )
        self.assertNotIn(foreign, self.env["crm.customer"].with_user(self.user_auditor).search([]))

    def test_views_load_for_every_role(self):
        """Every role can open the views of what its menus show."""
        cases = {
            "crm.customer": ("sales_a", "leader", "manager", "auditor"),
            "crm.customer.change.request": ("sales_a", "leader", "manager", "auditor"),
            "crm.customer.log": ("manager", "auditor"),
            "crm.customer.erasure": ("manager", "auditor"),
        }
        users = self._users()
        for model, roles in cases.items():
            for role in roles:
                with self.subTest(model=model, role=role):
                    views = self.env[model].with_user(users[role]).get_views(
                        [(False, "list"), (False, "form"), (False, "search")]
                    )
                    self.assertIn("list", views["views"])
                    arch = views["views"]["form"]["arch"]
                    if model == "crm.customer":
                        self.assertEqual('name="phone"' in arch, role == "manager")
                        self.assertEqual('name="phone_masked"' in arch, role != "manager")
        self.assertTrue(
            self.env["crm.customer.erase"].with_user(self.user_manager).get_views([(False, "form")])
        )
        self.assertTrue(
            self.env["crm.customer.reveal"].with_user(self.user_revealer).get_views([(False, "form")])
        )
