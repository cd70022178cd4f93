# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

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
        tz = self.crm_customer_kpi_rollup_tz
        if tz:
            self.env.cr.execute(SQL("SELECT 1 FROM pg_timezone_names WHERE name = %s", tz))
            if not self.env.cr.fetchone():
                raise UserError(_(
                    "The database server does not know the time zone %(tz)s: choose another "
                    "one for the dashboard.", tz=tz,
                ))
        super().set_values()
        Rollup = self.env["crm.customer.kpi.rollup"]
        if Rollup._tz() != Rollup._built_tz():
            # every day again, in the background (the cron of the aggregates)
            self.env.ref("crm_customer_template_reports.ir_cron_crm_customer_kpi_refresh")._trigger()
