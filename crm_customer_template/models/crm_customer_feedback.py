# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CrmCustomerFeedback(models.Model):
    _name = "crm.customer.feedback"
    _description = "Customer Feedback"
    _inherit = ["mail.thread", "mail.activity.mixin", "crm.customer.code.mixin"]
    _order = "feedback_date desc, id desc"
    _rec_name = "code"
    _check_company_auto = True

    _crm_code_sequence = "crm.customer.feedback"
    _crm_required_fields = ("customer_id", "feedback_type_id", "description", "feedback_date")

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
    feedback_type_id = fields.Many2one(
        "crm.customer.feedback.type", string="Feedback Type", required=True, index=True
    )
    is_complaint = fields.Boolean(related="feedback_type_id.is_complaint")
    description = fields.Text(string="Description", required=True)
    process = fields.Text(string="Handling Process")
    result = fields.Text(string="Result")
    satisfaction = fields.Integer(
        string="Satisfaction",
        aggregator="avg",
        help="1 = very dissatisfied … 5 = very satisfied; empty when not rated.",
    )
    feedback_date = fields.Datetime(
        string="Feedback Date", required=True, default=fields.Datetime.now, index=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Handled by",
        default=lambda self: self.env.user,
        tracking=True,
        index=True,
        domain="[('share', '=', False)]",
    )
    company_id = fields.Many2one(
        related="customer_id.company_id", store=True, index=True, string="Company"
    )

    _sql_constraints = [
        (
            "satisfaction_range",
            "CHECK(satisfaction IS NULL OR satisfaction BETWEEN 0 AND 5)",
            "Satisfaction goes from 1 (very dissatisfied) to 5 (very satisfied).",
        ),
    ]
