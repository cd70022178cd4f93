# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class CrmCustomerNeed(models.Model):
    _name = "crm.customer.need"
    _description = "Customer Need"
    _inherit = ["mail.thread", "mail.activity.mixin", "crm.customer.code.mixin"]
    _order = "id desc"
    _rec_name = "code"
    _check_company_auto = True

    _crm_code_sequence = "crm.customer.need"
    _crm_required_fields = (
        "customer_id",
        "need_type_id",
        "description",
        "priority",
        "user_id",
        "state",
    )

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    customer_id = fields.Many2one(
        "crm.customer",
        string="Customer",
        required=True,
        ondelete="cascade",
        index=True,
        tracking=True,
        check_company=True,
    )
    need_type_id = fields.Many2one(
        "crm.customer.need.type", string="Need Type", required=True, index=True
    )
    description = fields.Text(string="Description", required=True)
    priority = fields.Selection(
        [("high", "High"), ("medium", "Medium"), ("low", "Low")],
        string="Priority",
        required=True,
        default="medium",
        tracking=True,
    )
    solution = fields.Text(string="Solution")
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        required=True,
        default=lambda self: self.env.user,
        tracking=True,
        index=True,
        domain="[('share', '=', False)]",
    )
    state = fields.Selection(
        [
            ("pending", "Pending"),
            ("in_progress", "In Progress"),
            ("done", "Done"),
            ("closed", "Closed"),
        ],
        string="Status",
        required=True,
        default="pending",
        tracking=True,
        index=True,
    )
    date_done = fields.Datetime(string="Done On", readonly=True, copy=False)
    company_id = fields.Many2one(
        related="customer_id.company_id", store=True, index=True, string="Company"
    )

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        now = fields.Datetime.now()
        for vals in vals_list:
            if vals.get("state") == "done" and not vals.get("date_done"):
                vals["date_done"] = now
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("state") == "done" and "date_done" not in vals:
            not_done = self.filtered(lambda need: need.state != "done")
            res = super().write(vals)
            not_done.date_done = fields.Datetime.now()
            return res
        return super().write(vals)

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def action_start(self):
        self.write({"state": "in_progress"})

    def action_done(self):
        self.write({"state": "done"})

    def action_close(self):
        self.write({"state": "closed"})

    def action_reset(self):
        self.write({"state": "pending", "date_done": False})
