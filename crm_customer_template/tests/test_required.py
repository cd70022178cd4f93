# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CrmCustomerCommon


@tagged("crm_customer", "crm_customer_required")
class TestRequiredFields(CrmCustomerCommon):
    """Every required field of the four records is refused when missing,
    False or blank, with a message naming the field."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customers(1)

    def _valid_vals(self, model):
        if model == "crm.customer":
            return self._customer_vals(7)
        if model == "crm.customer.followup":
            return self._followup_vals(self.customer)
        if model == "crm.customer.need":
            return {
                "customer_id": self.customer.id,
                "need_type_id": self.need_type_product.id,
                "description": "需要报价 Needs a quotation",
            }
        return {
            "customer_id": self.customer.id,
            "feedback_type_id": self.feedback_type_praise.id,
            "description": "服务很好 Great service",
        }

    def _assert_refused(self, model, vals, fname, record=None):
        label = self.env[model]._fields[fname]._description_string(self.env)
        with self.assertRaises(ValidationError) as error, self.cr.savepoint():
            if record is None:
                self.env[model].create(vals)
            else:
                record.write(vals)
        message = str(error.exception)
        self.assertIn(label, message, f"{model}.{fname}: the message must name the field")
        self.assertIn("required", message)

    def test_required_fields_list(self):
        """The list of checked fields is the list of required fields."""
        expected = {
            "crm.customer": {
                "name", "customer_kind", "state", "industry_id",
                "contact_name", "phone", "user_id", "company_id",
            },
            "crm.customer.followup": {
                "customer_id", "followup_date", "method_id", "content", "user_id",
            },
            "crm.customer.need": {
                "customer_id", "need_type_id", "description", "priority", "user_id", "state",
            },
            "crm.customer.feedback": {
                "customer_id", "feedback_type_id", "description", "feedback_date",
            },
        }  # fmt: skip
        for model, fnames in expected.items():
            Model = self.env[model]
            self.assertEqual(set(Model._crm_required_fields), fnames, model)
            for fname in fnames:
                self.assertTrue(Model._fields[fname].required, f"{model}.{fname}")
            self.assertTrue(Model._fields["code"].required)
            # every other required field is filled by the code itself
            self.assertEqual(
                {
                    fname
                    for fname, field in Model._fields.items()
                    if field.required and field.store and not field.related
                }
                - fnames,
                {"code"},
                model,
            )

    def test_required_missing_on_create(self):
        for model in ("crm.customer", "crm.customer.followup", "crm.customer.need",
                      "crm.customer.feedback"):  # fmt: skip
            Model = self.env[model]
            for fname in Model._crm_required_fields:
                with self.subTest(model=model, field=fname):
                    vals = self._valid_vals(model)
                    vals.pop(fname, None)
                    field = Model._fields[fname]
                    if field.default or fname in ("company_id",):
                        # a default fills it in when missing: an explicit empty value is refused
                        vals[fname] = False
                    self._assert_refused(model, vals, fname)

    def test_required_blank_text(self):
        for model in ("crm.customer", "crm.customer.followup", "crm.customer.need",
                      "crm.customer.feedback"):  # fmt: skip
            Model = self.env[model]
            for fname in Model._crm_required_fields:
                if Model._fields[fname].type not in ("char", "text"):
                    continue
                for blank in ("", "   ", "\n\t"):
                    with self.subTest(model=model, field=fname, blank=blank):
                        vals = dict(self._valid_vals(model), **{fname: blank})
                        self._assert_refused(model, vals, fname)

    def test_required_cleared_on_write(self):
        records = {
            "crm.customer": self.customer,
            "crm.customer.followup": self.Followup.create(self._followup_vals(self.customer)),
            "crm.customer.need": self.Need.create(self._valid_vals("crm.customer.need")),
            "crm.customer.feedback": self.Feedback.create(
                self._valid_vals("crm.customer.feedback")
            ),
        }
        for model, record in records.items():
            for fname in record._crm_required_fields:
                with self.subTest(model=model, field=fname):
                    self._assert_refused(model, {fname: False}, fname, record=record)
                    if record._fields[fname].type in ("char", "text"):
                        self._assert_refused(model, {fname: "  "}, fname, record=record)

    def test_valid_records(self):
        for model in ("crm.customer", "crm.customer.followup", "crm.customer.need",
                      "crm.customer.feedback"):  # fmt: skip
            record = self.env[model].create(self._valid_vals(model))
            self.assertTrue(record.code)

    def test_message_translated(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"].search(
            [("name", "=", "crm_customer_template")]
        )._update_translations(filter_lang=["zh_CN"])
        Customer = self.Customer.with_context(lang="zh_CN")
        with self.assertRaises(ValidationError) as error:
            Customer.create(self._customer_vals(contact_name=" "))
        # the field label and the sentence come from i18n/zh_CN.po
        self.assertIn("联系人", str(error.exception))
        self.assertIn("必填", str(error.exception))
