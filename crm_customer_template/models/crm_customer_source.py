# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CrmCustomerSource(models.Model):
    _name = "crm.customer.source"
    _description = "Customer Source"
    _order = "sequence, id"

    name = fields.Char(string="Source", required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
