# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CrmCustomerFeedbackType(models.Model):
    _name = "crm.customer.feedback.type"
    _description = "Customer Feedback Type"
    _order = "sequence, id"

    name = fields.Char(string="Feedback Type", required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    is_complaint = fields.Boolean(
        string="Complaint",
        help="Feedback of this type is a complaint (counted in complaint figures).",
    )
