# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Access control and data protection of customers (issue 4).

- ``phone`` is encrypted at rest and masked through ``crm.customer.sensitive.mixin``;
- owners can only be changed by managers (team leaders: within their teams);
- key information (contact name, phone) changed by someone who is neither the
  owner nor a manager becomes a ``crm.customer.change.request``;
- exports, owner transfers, status changes and deletions are written to the
  operation log.
"""

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from .crm_customer import normalize_phone, phone_is_valid
from .sensitive_field_mixin import FULL_CONTACT_GROUP, get_cipher

MANAGER_GROUP = "crm_customer_template.group_crm_customer_manager"
TEAM_LEADER_GROUP = "crm_customer_template.group_crm_customer_team_leader"
KEY_INFO_FIELDS = ("contact_name", "phone")


class CrmCustomer(models.Model):
    _name = "crm.customer"
    _inherit = ["crm.customer", "crm.customer.sensitive.mixin"]

    _sensitive_fields = ("phone", "email")

    # Contact data: encrypted at rest, full value for the right, masked for others
    phone = fields.Char(
        string="Phone",
        required=True,
        store=False,
        compute="_compute_sensitive_clear",
        inverse="_inverse_phone",
        search="_search_phone",
        compute_sudo=True,
        groups=FULL_CONTACT_GROUP,
    )
    phone_masked = fields.Char(
        string="Phone (masked)",
        compute="_compute_sensitive_masked",
        inverse="_inverse_phone_masked",
        search="_search_phone",
        help="The phone number with its middle digits hidden; its owner sees the full "
        "number unless the settings restrict full contact data to the right.",
    )
    phone_encrypted = fields.Char(
        string="Phone (encrypted)", copy=False, groups="base.group_system"
    )
    phone_hash = fields.Char(
        string="Phone (search hash)",
        copy=False,
        index="btree_not_null",
        groups="base.group_system",
    )
    email = fields.Char(
        string="Email",
        store=False,
        compute="_compute_sensitive_clear",
        inverse="_inverse_email",
        search="_search_email",
        compute_sudo=True,
        groups=FULL_CONTACT_GROUP,
    )
    email_masked = fields.Char(
        string="Email (masked)",
        compute="_compute_sensitive_masked",
        inverse="_inverse_email_masked",
        search="_search_email",
        help="The email address with its local part hidden; its owner sees the full "
        "address unless the settings restrict full contact data to the right.",
    )
    email_encrypted = fields.Char(
        string="Email (encrypted)", copy=False, groups="base.group_system"
    )
    email_hash = fields.Char(
        string="Email (search hash)",
        copy=False,
        index="btree_not_null",
        groups="base.group_system",
    )
    change_request_ids = fields.One2many(
        "crm.customer.change.request", "customer_id", string="Change Requests"
    )
    change_request_count = fields.Integer(
        string="Pending Changes", compute="_compute_change_request_count"
    )
    can_reveal = fields.Boolean(compute="_compute_can_reveal")

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("phone_encrypted", "email_encrypted")
    def _compute_sensitive_clear(self):
        return super()._compute_sensitive_clear()

    @api.depends("phone_encrypted", "email_encrypted", "user_id")
    @api.depends_context("uid")
    def _compute_sensitive_masked(self):
        return super()._compute_sensitive_masked()

    def _inverse_phone(self):
        self._sensitive_inverse_clear("phone")

    def _inverse_phone_masked(self):
        self._sensitive_inverse_masked("phone")

    def _inverse_email(self):
        self._sensitive_inverse_clear("email")

    def _inverse_email_masked(self):
        self._sensitive_inverse_masked("email")

    def _search_phone(self, operator, value):
        return self._sensitive_search_domain("phone", operator, value)

    def _search_email(self, operator, value):
        return self._sensitive_search_domain("email", operator, value)

    def _compute_change_request_count(self):
        counts = {}
        if self.ids:
            counts = {
                customer.id: count
                for customer, count in self.env["crm.customer.change.request"]._read_group(
                    [("customer_id", "in", self.ids), ("state", "=", "pending")],
                    ["customer_id"],
                    ["__count"],
                )
            }
        for customer in self:
            customer.change_request_count = counts.get(customer._origin.id, 0)

    @api.depends("name")
    @api.depends_context("uid")
    def _compute_display_name(self):
        """The name of a customer the user may not read is not given.

        Odoo reads the name of a many2one's value as superuser (``read``,
        ``onchange``, ``web_read``), so a user could send another salesperson's
        customer id as a default or in a wizard line and read its name back.
        Under sudo, the name stays hidden when the real user cannot read the
        customer (the superuser itself, e.g. crons, sees every name)."""
        super()._compute_display_name()
        if not self.env.su or self.env.uid == SUPERUSER_ID:
            return
        real = self.browse([rid for rid in self._ids if isinstance(rid, int)])
        if not real:
            return
        readable = real.with_env(self.env(su=False))._filtered_access("read")
        for customer in real - readable:
            customer.display_name = self.env._("Restricted customer")

    @api.depends_context("uid")
    def _compute_can_reveal(self):
        allowed = self.env.user.has_group(
            "crm_customer_template.group_crm_customer_reveal"
        ) and not self.env.user.has_group(FULL_CONTACT_GROUP)
        full = self._sensitive_full_access_records() if allowed else self.browse()
        for customer in self:
            customer.can_reveal = allowed and customer not in full

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    def _auto_init(self):
        """Encrypt clear contact columns left by an earlier version, then drop them."""
        result = super()._auto_init()
        cr = self.env.cr
        for fname in self._sensitive_fields:
            cr.execute(
                SQL(
                    "SELECT 1 FROM information_schema.columns "
                    "WHERE table_name = %s AND column_name = %s",
                    self._table,
                    fname,
                )
            )
            if not cr.fetchone():
                continue
            cipher = get_cipher()
            cr.execute(
                SQL(
                    "SELECT id, %s FROM crm_customer WHERE %s IS NOT NULL",
                    SQL.identifier(fname),
                    SQL.identifier(fname),
                )
            )
            for rec_id, clear in cr.fetchall():
                value = self._sensitive_normalize(fname, clear)
                cr.execute(
                    SQL(
                        "UPDATE crm_customer SET %s = %s, %s = %s WHERE id = %s",
                        SQL.identifier(f"{fname}_encrypted"),
                        cipher.encrypt(value),
                        SQL.identifier(f"{fname}_hash"),
                        cipher.hash(value),
                        rec_id,
                    )
                )
            cr.execute(SQL("ALTER TABLE crm_customer DROP COLUMN %s", SQL.identifier(fname)))
        return result

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # the form of a user without the right sends the masked field
            if "phone_masked" in vals and not vals.get("phone"):
                vals["phone"] = vals.pop("phone_masked")
        if not self._crm_is_manager():
            for vals in vals_list:
                if vals.get("user_id"):
                    self._check_owner_allowed(self.env["res.users"].browse(vals["user_id"]))
        return super().create(vals_list)

    def write(self, vals):
        if self.env.su:
            return super().write(vals)
        vals = dict(vals)
        if not self.env.user.has_group(FULL_CONTACT_GROUP):
            # writing is not reading: the value goes in through the masked field
            for fname in self._sensitive_fields:
                if fname in vals:
                    vals[f"{fname}_masked"] = vals.pop(fname)
        if vals.get("user_id") and not self._crm_is_manager():
            self._check_owner_allowed(self.env["res.users"].browse(vals["user_id"]))
        requested = self._crm_extract_change_requests(vals)
        old_owners = {c.id: c.user_id for c in self} if "user_id" in vals else {}
        old_states = {c.id: c.state for c in self} if "state" in vals else {}
        result = super().write(vals) if vals else True
        log = self.env["crm.customer.log"]
        if old_owners:
            moved = self.filtered(lambda c: c.user_id != old_owners[c.id])
            for customer in moved:
                log._log(
                    "owner",
                    customer,
                    description=self.env._(
                        "%(old)s → %(new)s",
                        old=old_owners[customer.id].name or "-",
                        new=customer.user_id.name,
                    ),
                )
        if old_states:
            labels = dict(self._fields["state"]._description_selection(self.env))
            for customer in self.filtered(lambda c: c.state != old_states[c.id]):
                log._log(
                    "state",
                    customer,
                    description=self.env._(
                        "%(old)s → %(new)s",
                        old=labels.get(old_states[customer.id]),
                        new=labels.get(customer.state),
                    ),
                )
        return requested or result

    @api.ondelete(at_uninstall=False)
    def _log_unlink(self):
        self.env["crm.customer.log"]._log(
            "unlink", self, description=", ".join(self.mapped("code"))[:200]
        )

    def export_data(self, fields_to_export):
        result = super().export_data(fields_to_export)
        self.env["crm.customer.log"]._log_export(self, fields_to_export)
        return result

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def action_open_reveal(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reveal contact data"),
            "res_model": "crm.customer.reveal",
            "view_mode": "form",
            "target": "new",
            "context": {"default_customer_id": self.id},
        }

    def action_open_erase(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Erase personal data"),
            "res_model": "crm.customer.erase",
            "view_mode": "form",
            "target": "new",
            "context": {"default_customer_ids": self.ids},
        }

    def action_view_change_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_customer_template.action_crm_customer_change_request"
        )
        action["domain"] = [("customer_id", "=", self.id)]
        return action

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _sensitive_normalize(self, fname, value):
        if fname == "email":
            return value.strip().lower() if isinstance(value, str) else value
        if fname == "phone":
            value = value.strip() if isinstance(value, str) else value
            # normalize_phone is not idempotent on "NNN-ext": keep canonical values
            return value if phone_is_valid(value) else normalize_phone(value)
        return super()._sensitive_normalize(fname, value)

    def _crm_is_manager(self):
        return self.env.su or self.env.user.has_group(MANAGER_GROUP)

    def _check_owner_allowed(self, new_owner):
        """A salesperson keeps customers for themselves; a team leader assigns
        within their teams; only managers give customers to anybody."""
        user = self.env.user
        if new_owner == user:
            return
        if user.has_group(TEAM_LEADER_GROUP):
            teams = (
                self.env["crm.team"]
                .sudo()
                .search(
                    ["|", ("user_id", "=", user.id), ("crm_team_member_ids.user_id", "=", user.id)]
                )
            )
            if new_owner in teams.member_ids | teams.user_id:
                return
        raise AccessError(
            self.env._(
                "You cannot give a customer to %(user)s: only a manager (or a team "
                "leader, within the team) can assign customers to someone else.",
                user=new_owner.name,
            )
        )

    def _crm_extract_change_requests(self, vals):
        """Turn key-information changes by non-owners into change requests.

        Removes those values from ``vals`` when every record is concerned;
        returns True when requests were created instead of writing.
        """
        keys = [k for k in ("contact_name", "phone", "phone_masked") if k in vals]
        if not keys or self._crm_is_manager():
            return False
        foreign = self.filtered(lambda c: c.user_id != self.env.user)
        if not foreign:
            return False
        if foreign != self:
            (self - foreign).write({k: vals[k] for k in keys})
        requests = []
        for key in keys:
            value = vals.pop(key)
            field = "phone" if key == "phone_masked" else key
            requests += [
                {"customer_id": customer.id, "field_name": field, "new_value": value}
                for customer in foreign
            ]
        self.env["crm.customer.change.request"].create(requests)
        return True


class CrmCustomerChildAudit(models.AbstractModel):
    """Audit and access re-check shared by follow-ups, needs and feedback."""

    _name = "crm.customer.child.audit"
    _description = "Customer Record Audit"

    def export_data(self, fields_to_export):
        result = super().export_data(fields_to_export)
        self.env["crm.customer.log"]._log_export(self, fields_to_export)
        return result

    @api.ondelete(at_uninstall=False)
    def _log_unlink(self):
        self.env["crm.customer.log"]._log(
            "unlink", self, description=", ".join(self.mapped("code"))[:200]
        )

    def write(self, vals):
        result = super().write(vals)
        if "customer_id" in vals:
            # record rules are checked before a write only: re-check that the
            # record did not move onto a customer the user cannot reach
            self.check_access("write")
        return result


class CrmCustomerFollowup(models.Model):
    _name = "crm.customer.followup"
    _inherit = ["crm.customer.followup", "crm.customer.child.audit"]


class CrmCustomerNeed(models.Model):
    _name = "crm.customer.need"
    _inherit = ["crm.customer.need", "crm.customer.child.audit"]


class CrmCustomerFeedback(models.Model):
    _name = "crm.customer.feedback"
    _inherit = ["crm.customer.feedback", "crm.customer.child.audit"]
