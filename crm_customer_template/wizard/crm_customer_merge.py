# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

# fields whose surviving value is chosen in the wizard
MERGE_FIELDS = (
    "name", "customer_kind", "credit_code", "industry_id", "grade", "source_id", "contact_name", "phone",
    "email", "user_id", "country_id", "state_id", "city", "street", "product_interest",
)  # fmt: skip


class CrmCustomerMerge(models.TransientModel):
    _name = "crm.customer.merge"
    _description = "Merge Duplicate Customers"

    customer_ids = fields.Many2many("crm.customer", string="Customers")
    target_id = fields.Many2one(
        "crm.customer", string="Keep", required=True, domain="[('id', 'in', customer_ids)]",
        help="The customer that stays; the others are merged into it and deleted.",
    )  # fmt: skip
    line_ids = fields.One2many("crm.customer.merge.line", "wizard_id", string="Values")

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        ids = self.env.context.get("default_customer_ids") or (
            self.env.context.get("active_model") == "crm.customer" and self.env.context.get("active_ids")
        ) or []
        customers = self.env["crm.customer"].browse(ids).exists()
        if customers:
            res["customer_ids"] = [fields.Command.set(customers.ids)]
            target = customers.sorted("id")[0]
            res.setdefault("target_id", target.id)
            if "line_ids" in fields_list:
                res["line_ids"] = [
                    fields.Command.create({"field_name": fname, "source_id": target.id})
                    for fname in MERGE_FIELDS
                    if len(set(customers.mapped(lambda customer, fname=fname: customer[fname]))) > 1
                ]
        return res

    def action_merge(self):
        self.ensure_one()
        if not self.env.user.has_group("crm_customer_template.group_crm_customer_manager"):
            raise AccessError(_("Only a customer manager can merge customers."))
        customers = self.customer_ids
        if len(customers) < 2 or self.target_id not in customers:
            raise UserError(_("Select at least two customers and the one to keep."))
        customers.check_access("write")
        target = self.target_id
        others = (customers - target).sudo()
        values = {line.field_name: line.source_id[line.field_name] for line in self.line_ids if line.source_id}
        values = {
            fname: value.id if isinstance(value, models.BaseModel) else value
            for fname, value in values.items()
            if value != target[fname]
        }
        others_codes = ", ".join(others.mapped("code"))
        # free unique values on the merged customers before the kept one takes them
        others._pool_write({"credit_code": False, "contract_number": False})
        self.env.flush_all()
        # children, activities, messages and ledger rows move to the kept customer
        for model in ("crm.customer.followup", "crm.customer.need", "crm.customer.feedback",
                      "crm.customer.pool.extension"):  # fmt: skip
            self.env[model].sudo().search([("customer_id", "in", others.ids)]).write({"customer_id": target.id})
        self.env["mail.activity"].sudo().search(
            [("res_model", "=", "crm.customer"), ("res_id", "in", others.ids)]
        ).write({"res_id": target.id})
        self.env["mail.message"].sudo().search(
            [("model", "=", "crm.customer"), ("res_id", "in", others.ids)]
        ).write({"res_id": target.id})
        # the ledger is append-only for the ORM: rows are re-attached, never changed
        self.env.cr.execute(SQL(
            "UPDATE crm_customer_ledger SET customer_id = %s WHERE customer_id IN %s",
            target.id, tuple(others.ids),
        ))  # fmt: skip
        self.env["crm.customer.ledger"].invalidate_model(["customer_id"])
        if values:
            target.sudo()._pool_write(values)
        self.env["crm.customer.ledger"]._log(
            target, "owner", pool_move="merge", user_from_id=target.user_id.id, user_to_id=target.user_id.id,
            evidence=_("Merged %(codes)s", codes=others_codes)[:255],
        )  # fmt: skip
        target.message_post(body=Markup("<p>%s</p>") % _("Merged customers %(codes)s into this one.", codes=others_codes))
        others.invalidate_recordset()
        others.unlink()
        return {"type": "ir.actions.act_window", "res_model": "crm.customer", "res_id": target.id,
                "view_mode": "form", "target": "current"}  # fmt: skip


class CrmCustomerMergeLine(models.TransientModel):
    _name = "crm.customer.merge.line"
    _description = "Merge Duplicate Customers: surviving value"

    wizard_id = fields.Many2one("crm.customer.merge", required=True, ondelete="cascade")
    field_name = fields.Char(required=True, readonly=True)
    field_label = fields.Char(string="Field", compute="_compute_field_label")
    source_id = fields.Many2one(
        "crm.customer", string="Keep Value Of", domain="[('id', 'in', parent.customer_ids)]"
    )
    value = fields.Char(string="Value", compute="_compute_value")

    @api.depends("field_name")
    def _compute_field_label(self):
        Customer = self.env["crm.customer"]
        for line in self:
            field = Customer._fields.get(line.field_name)
            line.field_label = field._description_string(self.env) if field else line.field_name

    @api.depends("field_name", "source_id")
    def _compute_value(self):
        for line in self:
            value = line.source_id[line.field_name] if line.source_id and line.field_name else False
            line.value = value.display_name if isinstance(value, models.BaseModel) else (value or "")
