# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Duplicate detection (normalised Chinese name, credit code, phone) and the
quarterly data check (verified on)."""
import re
import unicodedata
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression

BRACKETS_RE = re.compile(r"[(\[{【〔〖（][^)\]}】〕〗）]{0,12}[)\]}】〕〗）]")
PUNCT_RE = re.compile(r"[\s\W_]+", re.UNICODE)
LEGAL_SUFFIXES = (
    "股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "股份公司", "集团公司", "公司",
    "coltd", "co ltd", "company limited", "limited", "ltd", "inc", "llc", "corp", "corporation",
)  # fmt: skip


def normalize_customer_name(name):
    """The comparable form of a customer name: full-width → half-width
    (NFKC), lower case, bracketed parts such as （北京） removed, spaces and
    punctuation removed, legal-form suffix (有限公司, 股份有限公司, Co., Ltd. …)
    removed. ``杭州云帆科技有限公司`` and ``杭州 云帆科技（杭州）有限责任公司`` match."""
    if not name:
        return False
    text = unicodedata.normalize("NFKC", name).lower().strip()
    text = BRACKETS_RE.sub("", text)
    text = PUNCT_RE.sub("", text)
    changed = True
    while changed and text:
        changed = False
        for suffix in LEGAL_SUFFIXES:
            compact = suffix.replace(" ", "")
            if text.endswith(compact) and len(text) > len(compact):
                text = text[: -len(compact)]
                changed = True
                break
    return text or False


class CrmCustomer(models.Model):
    _inherit = "crm.customer"

    name_normalized = fields.Char(
        string="Normalised Name", compute="_compute_name_normalized", store=True, index=True, copy=False
    )
    duplicate_warning = fields.Char(
        string="Possible Duplicate", compute="_compute_duplicate_warning",
        help="Another customer (possibly one you cannot see) has the same credit code, phone or normalised name.",
    )  # fmt: skip
    verified_on = fields.Date(
        string="Data Verified On", readonly=True, copy=False, tracking=True,
        help="Last confirmation by the owner that the customer's data is correct (quarterly check).",
    )  # fmt: skip

    @api.depends("name")
    def _compute_name_normalized(self):
        for customer in self:
            customer.name_normalized = normalize_customer_name(customer.name)

    @api.depends("name", "phone", "credit_code", "company_id")
    @api.depends_context("uid")
    def _compute_duplicate_warning(self):
        found = self._crm_find_duplicates()
        for customer in self:
            duplicate = found.get(customer._origin.id or customer.id) or found.get(customer)
            customer.duplicate_warning = duplicate and self._crm_duplicate_message(customer, duplicate)

    @api.constrains("name", "phone", "credit_code")
    def _check_duplicates_block(self):
        if self.env["res.config.settings"]._crm_duplicate_mode() != "block":
            return
        found = self._crm_find_duplicates()
        for customer in self:
            duplicate = found.get(customer.id)
            if duplicate:
                raise ValidationError(self._crm_duplicate_message(customer, duplicate))

    @api.onchange("name", "phone", "credit_code")
    def _onchange_duplicate_warning(self):
        if self.duplicate_warning:
            return {"warning": {"title": _("Possible duplicate"), "message": self.duplicate_warning}}

    # ------------------------------------------------------------
    # DUPLICATES
    # ------------------------------------------------------------

    def _crm_find_duplicates(self):
        """Map each customer of ``self`` (id, or the record when new) to one
        other customer with the same credit code, phone or normalised name,
        searched as superuser across owners (one query for the batch)."""
        keys = {"credit_code": set(), "phone": set(), "name_normalized": set()}
        # the phone is contact data readable in full by the right only: compare as superuser
        self = self.sudo()
        for customer in self:
            if customer.credit_code:
                keys["credit_code"].add(customer.credit_code)
            if customer.phone:
                keys["phone"].add(customer.phone)
            normalized = normalize_customer_name(customer.name)
            if normalized:
                keys["name_normalized"].add(normalized)
        domains = [[(fname, "in", list(values))] for fname, values in keys.items() if values]
        if not domains:
            return {}
        own_ids = [cid for cid in self._origin.ids if cid] or [cid for cid in self.ids if isinstance(cid, int)]
        # sudo: duplicates owned by others count too; only the owner's name is disclosed
        candidates = self.sudo().with_context(active_test=False).search_fetch(
            expression.AND([expression.OR(domains), [("id", "not in", own_ids),
                                                     ("company_id", "in", self.company_id.ids)]]),
            ["credit_code", "phone", "name_normalized", "user_id", "company_id"],
        )  # fmt: skip
        result = {}
        for customer in self:
            normalized = normalize_customer_name(customer.name)
            for other in candidates:
                if other.company_id != customer.company_id:
                    continue
                if (
                    (customer.credit_code and other.credit_code == customer.credit_code)
                    or (customer.phone and other.phone == customer.phone)
                    or (normalized and other.name_normalized == normalized)
                ):
                    result[customer._origin.id or customer.id or customer] = other
                    break
        return result

    @api.model
    def _crm_duplicate_message(self, customer, duplicate):
        if duplicate.in_pool or not duplicate.user_id:
            return _("A duplicate of %(name)s exists in the public pool.", name=customer.name or "")
        return _("A duplicate of %(name)s exists, owned by %(owner)s.",
                 name=customer.name or "", owner=duplicate.user_id.sudo().name)  # fmt: skip

    # ------------------------------------------------------------
    # QUARTERLY DATA CHECK
    # ------------------------------------------------------------

    def action_confirm_verified(self):
        """The owner confirms the data is correct: sets ``verified_on`` and
        closes the review activity."""
        self.check_access("write")
        today = fields.Date.context_today(self)
        self._pool_write({"verified_on": today})
        activity_type = self.env.ref("crm_customer_template.mail_activity_type_crm_customer_review")
        self.activity_ids.filtered(lambda activity: activity.activity_type_id == activity_type).sudo().unlink()
        return True

    @api.model
    def _cron_quarterly_verification(self):
        """Give owners a review activity for their customers not verified for
        the configured days (default 90). Idempotent: a customer with an open
        review activity gets no second one."""
        days = self.env["res.config.settings"]._crm_customer_param("verify_days")
        activity_type = self.env.ref("crm_customer_template.mail_activity_type_crm_customer_review")
        cutoff_date = fields.Date.context_today(self) - timedelta(days=days)
        cutoff = fields.Datetime.now() - timedelta(days=days)
        due = self.sudo().search([
            ("user_id", "!=", False), ("in_pool", "=", False),
            "|", ("verified_on", "<", cutoff_date), "&", ("verified_on", "=", False), ("create_date", "<", cutoff),
        ])  # fmt: skip
        open_ids = set(
            self.env["mail.activity"].sudo().search([
                ("res_model", "=", self._name), ("res_id", "in", due.ids),
                ("activity_type_id", "=", activity_type.id),
            ]).mapped("res_id")
        )  # fmt: skip
        todo = due.filtered(lambda customer: customer.id not in open_ids)
        model_id = self.env["ir.model"]._get_id(self._name)
        deadline = fields.Date.context_today(self) + timedelta(days=14)
        self.env["mail.activity"].sudo().create([
            {"activity_type_id": activity_type.id, "res_model_id": model_id, "res_id": customer.id,
             "user_id": customer.user_id.id, "date_deadline": deadline, "automated": True}
            for customer in todo
        ])  # fmt: skip
        return todo
