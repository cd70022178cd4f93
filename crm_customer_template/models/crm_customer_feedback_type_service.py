# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CrmCustomerFeedbackType(models.Model):
    _inherit = "crm.customer.feedback.type"

    response_hours = fields.Integer(
        string="Response Time (hours)", default=24,
        help="Service standard: feedback of this type must get a result within this many hours (0: no deadline).",
    )  # fmt: skip
