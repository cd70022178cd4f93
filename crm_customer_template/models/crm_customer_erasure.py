# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import hashlib
import json
import secrets

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

MANAGER_GROUP = "crm_customer_template.group_crm_customer_manager"
CHILD_TEXT_FIELDS = {
    "crm.customer.followup": ("content", "next_plan"),
    "crm.customer.need": ("description", "solution"),
    "crm.customer.feedback": ("description", "process", "result"),
}
# personal fields of the customer whose tracking values are wiped
PERSONAL_TRACKED_FIELDS = (
    "name",
    "contact_name",
    "email",
    "street",
    "city",
    "phone",
    "phone_masked",
)


class CrmCustomerErasure(models.Model):
    """PIPL erasure register: who erased which customer's personal data, when,
    on which request — with salted hashes of the erased identifiers, never the
    values themselves. Append-only."""

    _name = "crm.customer.erasure"
    _description = "Personal Data Erasure Register"
    _order = "date desc, id desc"
    _rec_name = "request_reference"

    customer_id = fields.Many2one(
        "crm.customer",
        string="Customer",
        ondelete="set null",
        index="btree_not_null",
        readonly=True,
    )
    customer_code = fields.Char(string="Customer Code", readonly=True, index=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True, index=True)
    request_reference = fields.Char(string="Request Reference", required=True, readonly=True)
    user_id = fields.Many2one("res.users", string="Erased by", required=True, readonly=True)
    date = fields.Datetime(
        string="Erased on", required=True, readonly=True, default=fields.Datetime.now
    )
    salt = fields.Char(readonly=True, groups="base.group_system")
    identifier_hashes = fields.Text(
        string="Identifier Hashes",
        readonly=True,
        help="SHA-256 of salt + each erased identifier: lets you prove that a given "
        "value was erased without keeping it.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get("crm_customer_erasure_helper"):
            raise AccessError(self.env._("The erasure register is written by the erasure only."))
        return super().create(vals_list)

    def write(self, vals):
        raise AccessError(self.env._("The erasure register cannot be modified."))

    @api.ondelete(at_uninstall=True)
    def _unlink_except_always(self):
        raise AccessError(self.env._("The erasure register cannot be deleted."))

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _hash_identifier(self, salt, value):
        return hashlib.sha256(f"{salt}:{value}".encode()).hexdigest()

    @api.model
    def _erase_customers(self, customers, reference):
        """Anonymise the personal data of ``customers`` and register it."""
        if not (self.env.su or self.env.user.has_group(MANAGER_GROUP)):
            raise AccessError(self.env._("Only a manager can erase personal data."))
        customers.check_access("write")
        customers_sudo = customers.sudo().with_context(tracking_disable=True, mail_notrack=True)
        register_vals = []
        identifiers = {}
        for customer in customers_sudo:
            values = [
                customer.phone,
                customer.contact_name,
                customer.email,
                customer.street,
                customer.name if customer.customer_kind == "person" else False,
            ]
            # values proposed in change requests are personal data too
            for request in customer.change_request_ids:
                values.append(request.new_value)
                if request.field_name != "phone":
                    values.append(request.old_value_masked)
            values = list(dict.fromkeys(v for v in values if v and len(v.strip()) >= 2))
            identifiers[customer.id] = values
            salt = secrets.token_hex(16)
            register_vals.append(
                {
                    "customer_id": customer.id,
                    "customer_code": customer.code,
                    "company_id": customer.company_id.id,
                    "request_reference": reference,
                    "user_id": self.env.uid,
                    "salt": salt,
                    "identifier_hashes": json.dumps(
                        [self._hash_identifier(salt, value) for value in values]
                    ),
                }
            )
        placeholder = self.env._("Erased")
        for customer in customers_sudo:
            vals = {
                "contact_name": placeholder,
                "email": False,
                "street": False,
                "city": False,
                "note": False,
                "gender": False,
                "birth_date": False,
                "partner_id": False,
            }
            if customer.customer_kind == "person":
                vals["name"] = f"{placeholder} {customer.code}"
            customer.write(vals)
        # an erased customer keeps no phone at all, which the required-field
        # constraint of a normal edit refuses: clear the token and hash directly
        customers_sudo.flush_recordset()
        self.env.cr.execute(
            SQL(
                "UPDATE crm_customer SET phone_encrypted = NULL, phone_hash = NULL WHERE id IN %s",
                tuple(customers_sudo.ids),
            )
        )
        customers_sudo.invalidate_recordset(
            ["phone_encrypted", "phone_hash", "phone", "phone_masked"]
        )
        self._scrub_children(customers_sudo, identifiers)
        self._scrub_mail(customers_sudo, identifiers)
        customers_sudo.change_request_ids.unlink()
        registers = self.sudo().with_context(crm_customer_erasure_helper=True).create(register_vals)
        self.env["crm.customer.log"]._log(
            "erasure", customers, reason=reference, description=self.env._("Personal data erased")
        )
        return registers

    @api.model
    def _scrub(self, text, values):
        if not text:
            return text
        for value in values:
            text = text.replace(value, "***")
        return text

    @api.model
    def _scrub_children(self, customers, identifiers):
        for model, fnames in CHILD_TEXT_FIELDS.items():
            records = (
                self.env[model]
                .sudo()
                .with_context(tracking_disable=True)
                .search([("customer_id", "in", customers.ids)])
            )
            for record in records:
                values = identifiers[record.customer_id.id]
                vals = {}
                for fname in fnames:
                    new = self._scrub(record[fname], values)
                    if new != record[fname]:
                        vals[fname] = new
                if vals:
                    record.write(vals)

    @api.model
    def _children_refs(self, customers):
        refs = [("crm.customer", customers.ids)]
        for model in CHILD_TEXT_FIELDS:
            ids = self.env[model].sudo().search([("customer_id", "in", customers.ids)]).ids
            refs.append((model, ids))
        return refs

    @api.model
    def _scrub_mail(self, customers, identifiers):
        """Messages, tracking values, activities and attachments of the customers
        and of their follow-ups, needs and feedback."""
        Message = self.env["mail.message"].sudo()
        Attachment = self.env["ir.attachment"].sudo()
        Activity = self.env["mail.activity"].sudo()
        all_values = sorted(
            {v for values in identifiers.values() for v in values}, key=len, reverse=True
        )
        for model, ids in self._children_refs(customers):
            if not ids:
                continue
            domain = [("model", "=", model), ("res_id", "in", ids)]
            messages = Message.search(domain)
            for message in messages:
                vals = {}
                for fname in ("body", "subject", "record_name"):
                    new = self._scrub(message[fname] and str(message[fname]), all_values)
                    if new != (message[fname] and str(message[fname])):
                        vals[fname] = new
                if vals:
                    message.write(vals)
            trackings = messages.tracking_value_ids
            personal = trackings.browse()
            if model == "crm.customer":
                personal = trackings.filtered(lambda t: t.field_id.name in PERSONAL_TRACKED_FIELDS)
            personal.write(
                {
                    "old_value_char": "***",
                    "new_value_char": "***",
                    "old_value_text": False,
                    "new_value_text": False,
                }
            )
            for tracking in trackings - personal:
                vals = {}
                for fname in (
                    "old_value_char",
                    "new_value_char",
                    "old_value_text",
                    "new_value_text",
                ):
                    new = self._scrub(tracking[fname], all_values)
                    if new != tracking[fname]:
                        vals[fname] = new
                if vals:
                    tracking.write(vals)
            activities = Activity.search([("res_model", "=", model), ("res_id", "in", ids)])
            for activity in activities:
                vals = {}
                for fname in ("summary", "note", "res_name"):
                    value = activity[fname] and str(activity[fname])
                    new = self._scrub(value, all_values)
                    if new != value:
                        vals[fname] = new
                if vals:
                    activity.write(vals)
            Attachment.search([("res_model", "=", model), ("res_id", "in", ids)]).unlink()
            (messages.attachment_ids).unlink()
