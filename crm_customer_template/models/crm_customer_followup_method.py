# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CrmCustomerFollowupMethod(models.Model):
    _name = "crm.customer.followup.method"
    _description = "Follow-up Method"
    _order = "sequence, id"

    name = fields.Char(string="Method", required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
