# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from odoo.addons.base.models.res_partner import _tz_get

from .crm_customer_kpi_rollup import TZ_PARAM


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_customer_kpi_rollup_tz = fields.Selection(
        _tz_get,
        string="Dashboard time zone",
        config_parameter=TZ_PARAM,
        help="The KPI dashboard keeps daily totals for the days of this time zone; users "
        "working in another time zone get their figures computed live (slower on large "
        "databases). Changing it aggregates every day again.",
    )

    def set_values(self):
        super().set_values()
        Rollup = self.env["crm.customer.kpi.rollup"]
        if Rollup._tz() != Rollup._built_tz():
            Rollup._rebuild()
