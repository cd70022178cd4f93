# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# GB 32100-2015 Unified Social Credit Code (统一社会信用代码)
CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CREDIT_CODE_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")

PHONE_EXTENSION_RE = re.compile(r"(?:转|ext\.?|x|#)\s*(\d{1,6})$", re.IGNORECASE)
PHONE_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
PHONE_LANDLINE_RE = re.compile(r"^0\d{2,3}\d{7,8}(?:-\d{1,6})?$")


def credit_code_check_char(code17):
    """Return the GB 32100 check character of the first 17 characters."""
    total = sum(
        CREDIT_CODE_CHARSET.index(char) * weight
        for char, weight in zip(code17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def normalize_credit_code(value):
    return value.strip().upper() if isinstance(value, str) else value


def credit_code_is_valid(code):
    """True when ``code`` is an 18-character credit code with a correct check digit."""
    if not code or not CREDIT_CODE_RE.match(code):
        return False
    return credit_code_check_char(code[:17]) == code[17]


def normalize_phone(value):
    """Strip separators and the +86/0086 country prefix; keep an extension as ``-NNN``.

    ``+86 138-0013-8000`` → ``13800138000``; ``(0571) 8888 6666 转 123`` →
    ``057188886666-123``; ``+86 10 1234 5678`` → ``01012345678``.
    """
    if not isinstance(value, str):
        return value
    number = value.strip()
    if not number:
        return number
    extension = ""
    match = PHONE_EXTENSION_RE.search(number)
    if match:
        extension = match.group(1)
        number = number[: match.start()]
    number = re.sub(r"[\s\-().\u3000]", "", number)
    international = False
    if number.startswith("+86"):
        number, international = number[3:], True
    elif number.startswith("0086"):
        number, international = number[4:], True
    if international and number and not number.startswith(("0", "1")):
        # international format drops the trunk prefix of landlines
        number = "0" + number
    elif international and number.startswith("1") and len(number) != 11:
        number = "0" + number
    return f"{number}-{extension}" if extension else number


def phone_is_valid(number):
    return bool(number) and bool(
        PHONE_MOBILE_RE.match(number) or PHONE_LANDLINE_RE.match(number)
    )


class CrmCustomer(models.Model):
    _name = "crm.customer"
    _description = "Customer"
    _inherit = ["mail.thread", "mail.activity.mixin", "crm.customer.code.mixin"]
    _order = "id desc"
    _check_company_auto = True

    _crm_code_sequence = "crm.customer"
    _crm_required_fields = (
        "name",
        "customer_kind",
        "state",
        "industry_id",
        "contact_name",
        "phone",
        "user_id",
        "company_id",
    )

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    # Identification
    name = fields.Char(
        string="Customer Name",
        required=True,
        tracking=True,
        index="trigram",
        help="Full legal name for companies, full name for individuals.",
    )
    customer_kind = fields.Selection(
        [("company", "Company"), ("person", "Individual")],
        string="Customer Type",
        required=True,
        default="company",
    )
    credit_code = fields.Char(
        string="Unified Social Credit Code",
        size=18,
        copy=False,
        index="btree_not_null",
        help="18-character Unified Social Credit Code (GB 32100-2015) of a company.",
    )
    state = fields.Selection(
        [
            ("potential", "Potential"),
            ("intent", "Intent"),
            ("won", "Won"),
            ("lost", "Lost"),
        ],
        string="Status",
        required=True,
        default="potential",
        tracking=True,
        index=True,
        group_expand=True,
    )
    industry_id = fields.Many2one(
        "res.partner.industry", string="Industry", required=True, tracking=True, index=True
    )
    grade = fields.Selection(
        [("a", "A - High value"), ("b", "B - Medium"), ("c", "C - Low")],
        string="Grade",
        tracking=True,
        index=True,
    )
    source_id = fields.Many2one("crm.customer.source", string="Source", index=True)
    tag_ids = fields.Many2many("crm.customer.tag", string="Key Need Tags")

    # Contact
    contact_name = fields.Char(string="Contact Person", required=True)
    phone = fields.Char(string="Phone", required=True)
    email = fields.Char(string="Email")

    # Ownership
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        required=True,
        default=lambda self: self.env.user,
        tracking=True,
        index=True,
        domain="[('share', '=', False)]",
        help="Salesperson following this customer (跟进人).",
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        compute="_compute_team_id",
        store=True,
        precompute=True,
        readonly=False,
        index=True,
    )
    company_id = fields.Many2one(
        "res.company",
        string="Company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Contact Card",
        check_company=True,
        index="btree_not_null",
        help="Optional link to a contact so that sales and invoicing can follow.",
    )

    # Region
    country_id = fields.Many2one(
        "res.country",
        string="Country",
        default=lambda self: self.env.ref("base.cn", raise_if_not_found=False),
    )
    state_id = fields.Many2one(
        "res.country.state",
        string="Province",
        domain="[('country_id', '=?', country_id)]",
    )
    city = fields.Char(string="City")
    street = fields.Char(string="Street")

    # Individuals
    gender = fields.Selection(
        [("male", "Male"), ("female", "Female"), ("other", "Other")], string="Gender"
    )
    birth_date = fields.Date(string="Birth Date")

    # Scale and intentions
    employee_count = fields.Integer(string="Headcount")
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    annual_revenue = fields.Monetary(string="Annual Revenue", currency_field="currency_id")
    product_interest = fields.Text(string="Intended Products")
    note = fields.Html(string="Notes")
    properties = fields.Properties(
        string="Properties",
        definition="company_id.crm_customer_properties_definition",
        copy=True,
    )
    active = fields.Boolean(default=True)
    color = fields.Integer(string="Color Index")

    # 360 view
    followup_ids = fields.One2many("crm.customer.followup", "customer_id", string="Follow-ups")
    need_ids = fields.One2many("crm.customer.need", "customer_id", string="Needs")
    feedback_ids = fields.One2many("crm.customer.feedback", "customer_id", string="Feedback")
    followup_count = fields.Integer(string="Follow-up Count", compute="_compute_followup_count")
    need_count = fields.Integer(string="Need Count", compute="_compute_need_count")
    feedback_count = fields.Integer(string="Feedback Count", compute="_compute_feedback_count")
    last_followup_date = fields.Datetime(
        string="Last Follow-up",
        compute="_compute_last_followup_date",
        store=True,
        index=True,
    )

    _sql_constraints = [
        (
            "credit_code_company_unique",
            "UNIQUE(company_id, credit_code)",
            "Another customer already has this Unified Social Credit Code.",
        ),
    ]

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("user_id")
    def _compute_team_id(self):
        for customer in self:
            if customer.user_id and customer.user_id.sale_team_id:
                customer.team_id = customer.user_id.sale_team_id
            elif not customer.user_id:
                customer.team_id = False

    def _compute_child_count(self, model, fname):
        counts = {}
        if self.ids:
            counts = {
                customer.id: count
                for customer, count in self.env[model]._read_group(
                    [("customer_id", "in", self.ids)], ["customer_id"], ["__count"]
                )
            }
        for customer in self:
            customer[fname] = counts.get(customer._origin.id or customer.id, 0)

    def _compute_followup_count(self):
        self._compute_child_count("crm.customer.followup", "followup_count")

    def _compute_need_count(self):
        self._compute_child_count("crm.customer.need", "need_count")

    def _compute_feedback_count(self):
        self._compute_child_count("crm.customer.feedback", "feedback_count")

    @api.depends("followup_ids.followup_date")
    def _compute_last_followup_date(self):
        for customer in self:
            dates = [date for date in customer.followup_ids.mapped("followup_date") if date]
            customer.last_followup_date = max(dates) if dates else False

    # ------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------

    @api.constrains("credit_code", "customer_kind")
    def _check_credit_code(self):
        label = self._fields["credit_code"]._description_string(self.env)
        for customer in self:
            if not customer.credit_code:
                continue
            if customer.customer_kind != "company":
                raise ValidationError(
                    self.env._(
                        "%(field)s: only a company can have a credit code (customer %(name)s).",
                        field=label,
                        name=customer.name,
                    )
                )
            if not credit_code_is_valid(customer.credit_code):
                raise ValidationError(
                    self.env._(
                        "%(field)s: “%(code)s” is not a valid 18-character code "
                        "(wrong format or check digit).",
                        field=label,
                        code=customer.credit_code,
                    )
                )

    @api.constrains("phone")
    def _check_phone(self):
        label = self._fields["phone"]._description_string(self.env)
        for customer in self:
            if customer.phone and not phone_is_valid(customer.phone):
                raise ValidationError(
                    self.env._(
                        "%(field)s: “%(phone)s” is neither a mainland mobile number "
                        "(11 digits starting with 13-19) nor a landline number "
                        "(area code starting with 0, optional extension).",
                        field=label,
                        phone=customer.phone,
                    )
                )

    # ------------------------------------------------------------
    # ONCHANGE METHODS
    # ------------------------------------------------------------

    @api.onchange("customer_kind")
    def _onchange_customer_kind(self):
        if self.customer_kind == "person":
            self.credit_code = False
        else:
            self.gender = False
            self.birth_date = False

    @api.onchange("country_id")
    def _onchange_country_id(self):
        if self.state_id and self.state_id.country_id != self.country_id:
            self.state_id = False

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._normalize_vals(vals)
        # Follow-ups given inline are created inside this create, before
        # mail.thread subscribes the creator: their activities (which
        # subscribe the owner) are scheduled once the customers exist.
        customers = super(
            CrmCustomer, self.with_context(crm_customer_defer_followup_activity=True)
        ).create(vals_list)
        customers.followup_ids.filtered(
            lambda followup: not followup.activity_id
        )._with_next_plan()._schedule_next_activities()
        return customers.with_env(self.env)

    def write(self, vals):
        self._normalize_vals(vals)
        return super().write(vals)

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def _action_view_children(self, xmlid):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("customer_id", "=", self.id)]
        action["context"] = {"default_customer_id": self.id}
        return action

    def action_view_followups(self):
        return self._action_view_children("crm_customer_template.crm_customer_followup_action")

    def action_view_needs(self):
        return self._action_view_children("crm_customer_template.crm_customer_need_action")

    def action_view_feedback(self):
        return self._action_view_children("crm_customer_template.crm_customer_feedback_action")

    # ------------------------------------------------------------
    # TOOLING
    # ------------------------------------------------------------

    @api.model
    def _normalize_vals(self, vals):
        if "credit_code" in vals:
            vals["credit_code"] = normalize_credit_code(vals["credit_code"]) or False
        if vals.get("phone"):
            vals["phone"] = normalize_phone(vals["phone"])
        return vals
