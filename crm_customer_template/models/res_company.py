# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    crm_customer_properties_definition = fields.PropertiesDefinition(
        string="Customer Properties",
    )
