# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from random import randint

from odoo import fields, models


class CrmCustomerTag(models.Model):
    _name = "crm.customer.tag"
    _description = "Customer Tag"
    _order = "sequence, name"

    def _default_color(self):
        return randint(1, 11)

    name = fields.Char(string="Tag", required=True, translate=True)
    sequence = fields.Integer(default=10)
    color = fields.Integer(default=_default_color)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("name_uniq", "UNIQUE(name)", "A tag with the same name already exists."),
    ]
