# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CrmCustomerNeedType(models.Model):
    _name = "crm.customer.need.type"
    _description = "Customer Need Type"
    _order = "sequence, id"

    name = fields.Char(string="Need Type", required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
