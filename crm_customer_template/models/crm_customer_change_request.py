# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .sensitive_field_mixin import FULL_CONTACT_GROUP, mask_value

MANAGER_GROUP = "crm_customer_template.group_crm_customer_manager"


class CrmCustomerChangeRequest(models.Model):
    """A pending change of key information (contact name, phone) of a customer.

    Created by ``crm.customer.write`` when someone other than the owner or a
    manager changes those fields; applied only when the owner or a manager
    approves it. The new value is encrypted like the customer's phone.
    """

    _name = "crm.customer.change.request"
    _description = "Customer Key Information Change Request"
    _inherit = ["crm.customer.sensitive.mixin"]
    _order = "id desc"
    _check_company_auto = True

    _sensitive_fields = ("new_value",)
    _sensitive_owner_field = "customer_user_id"

    customer_id = fields.Many2one(
        "crm.customer",
        string="Customer",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
    )
    customer_user_id = fields.Many2one(related="customer_id.user_id", string="Customer Owner")
    company_id = fields.Many2one(
        related="customer_id.company_id", store=True, index=True, string="Company"
    )
    field_name = fields.Selection(
        [("contact_name", "Contact Person"), ("phone", "Phone")],
        string="Field",
        required=True,
        readonly=True,
    )
    old_value_masked = fields.Char(string="Old Value", readonly=True)
    new_value = fields.Char(
        string="New Value (full)",
        store=False,
        compute="_compute_sensitive_clear",
        inverse="_inverse_sensitive_clear",
        compute_sudo=True,
        groups=FULL_CONTACT_GROUP,
    )
    new_value_masked = fields.Char(
        string="New Value", compute="_compute_sensitive_masked", readonly=True
    )
    new_value_encrypted = fields.Char(copy=False, groups="base.group_system")
    new_value_hash = fields.Char(copy=False, groups="base.group_system")
    requester_id = fields.Many2one(
        "res.users",
        string="Requested by",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
        index=True,
    )
    request_date = fields.Datetime(
        string="Requested on", required=True, readonly=True, default=fields.Datetime.now
    )
    state = fields.Selection(
        [("pending", "Pending"), ("approved", "Approved"), ("refused", "Refused")],
        string="Status",
        required=True,
        default="pending",
        index=True,
        readonly=True,
        copy=False,
    )
    refuse_reason = fields.Text(string="Refusal Reason")
    decided_by_id = fields.Many2one("res.users", string="Decided by", readonly=True)
    decided_date = fields.Datetime(string="Decided on", readonly=True)
    can_decide = fields.Boolean(compute="_compute_can_decide")

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("new_value_encrypted")
    def _compute_sensitive_clear(self):
        return super()._compute_sensitive_clear()

    @api.depends("new_value_encrypted", "field_name", "customer_id.user_id")
    @api.depends_context("uid")
    def _compute_sensitive_masked(self):
        super()._compute_sensitive_masked()
        # a contact name is not masked: only phone numbers are contact data here
        for request in self.filtered(lambda r: r.field_name == "contact_name"):
            request.new_value_masked = request.sudo().new_value

    @api.depends_context("uid")
    @api.depends("customer_id.user_id", "state")
    def _compute_can_decide(self):
        is_manager = self.env.user.has_group(MANAGER_GROUP)
        for request in self:
            request.can_decide = request.state == "pending" and (
                is_manager or request.customer_id.user_id == self.env.user
            )

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        customers = self.env["crm.customer"].browse(
            [vals["customer_id"] for vals in vals_list if vals.get("customer_id")]
        )
        # the requester must at least be able to write the customer
        customers.check_access("write")
        for vals in vals_list:
            customer = customers.browse(vals["customer_id"]).sudo()
            if vals.get("field_name") == "phone":
                # always the masked number: it is stored in clear, shown to the
                # owner and posted in the chatter, whatever the requester's rights
                vals["old_value_masked"] = mask_value(customer.phone)
            elif vals.get("field_name"):
                vals["old_value_masked"] = customer[vals["field_name"]]
            vals["requester_id"] = self.env.uid
            # a request always starts pending, whatever the caller sends
            vals["state"] = "pending"
            for fname in ("decided_by_id", "decided_date", "refuse_reason", "request_date"):
                vals.pop(fname, None)
        requests = super().create(vals_list)
        for request in requests:
            request.customer_id.sudo().message_post(
                body=self.env._(
                    "Change of %(field)s requested by %(user)s: %(old)s → %(new)s",
                    field=request._field_label(),
                    user=request.requester_id.name,
                    old=request.old_value_masked or "-",
                    new=request._value_for_log(),
                ),
                subtype_xmlid="mail.mt_note",
                author_id=self.env.user.partner_id.id,
            )
        self.env["crm.customer.log"]._log(
            "change_request",
            requests.customer_id,
            description=self.env._("Change requested"),
        )
        return requests

    def write(self, vals):
        if not self.env.su and set(vals) - {"refuse_reason"}:
            raise UserError(self.env._("Use the Approve and Refuse buttons to decide a request."))
        return super().write(vals)

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def action_approve(self):
        self._check_can_decide()
        for request in self:
            value = request.sudo().new_value
            # the approver is the owner or a manager: the write goes through
            request.customer_id.write({request.field_name: value})
        self.sudo().write(
            {
                "state": "approved",
                "decided_by_id": self.env.uid,
                "decided_date": fields.Datetime.now(),
            }
        )
        self._post_decision(approved=True)
        return True

    def action_refuse(self):
        self._check_can_decide()
        if any(not (request.refuse_reason or "").strip() for request in self):
            raise UserError(self.env._("Give the reason of the refusal."))
        self.sudo().write(
            {
                "state": "refused",
                "decided_by_id": self.env.uid,
                "decided_date": fields.Datetime.now(),
            }
        )
        self._post_decision(approved=False)
        return True

    # ------------------------------------------------------------
    # TOOLING
    # ------------------------------------------------------------

    def _check_can_decide(self):
        if any(request.state != "pending" for request in self):
            raise UserError(self.env._("Only pending requests can be approved or refused."))
        if not all(request.can_decide for request in self):
            raise AccessError(
                self.env._("Only the owner of the customer or a manager can decide this request.")
            )

    def _field_label(self):
        return dict(self._fields["field_name"]._description_selection(self.env))[self.field_name]

    def _value_for_log(self):
        """What the chatter and the log may show: never a full phone number."""
        value = self.sudo().new_value
        return mask_value(value) if self.field_name == "phone" else value

    def _post_decision(self, approved):
        log = self.env["crm.customer.log"]
        for request in self:
            if approved:
                body = self.env._(
                    "Change of %(field)s approved by %(user)s: %(old)s → %(new)s",
                    field=request._field_label(),
                    user=self.env.user.name,
                    old=request.old_value_masked or "-",
                    new=request._value_for_log(),
                )
            else:
                body = self.env._(
                    "Change of %(field)s refused by %(user)s: %(reason)s",
                    field=request._field_label(),
                    user=self.env.user.name,
                    reason=request.refuse_reason,
                )
            request.customer_id.sudo().message_post(
                body=body, subtype_xmlid="mail.mt_note", author_id=self.env.user.partner_id.id
            )
            log._log(
                "change_request",
                request.customer_id,
                field_name=request.field_name,
                reason=request.refuse_reason if not approved else False,
                description=self.env._("Approved") if approved else self.env._("Refused"),
            )
