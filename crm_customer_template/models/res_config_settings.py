# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from .crm_customer_log import (
    DEFAULT_EXPORT_LIMIT,
    DEFAULT_REVEAL_ALERT,
    DEFAULT_REVEAL_LIMIT,
)


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # Data protection (issue 4)
    crm_customer_restrict_owner_full_contact = fields.Boolean(
        string="Restrict full contact data to the right",
        config_parameter="crm_customer_template.restrict_owner_full_contact",
        help="When set, owners see the phone numbers of their own customers masked "
        "unless they hold the View full contact data right.",
    )
    crm_customer_reveal_daily_limit = fields.Integer(
        string="Reveals per user per day",
        config_parameter="crm_customer_template.reveal_daily_limit",
        default=DEFAULT_REVEAL_LIMIT,
    )
    crm_customer_reveal_alert_threshold = fields.Integer(
        string="Alert above reveals per user per day",
        config_parameter="crm_customer_template.reveal_alert_threshold",
        default=DEFAULT_REVEAL_ALERT,
    )
    crm_customer_export_alert_rows = fields.Integer(
        string="Alert above exported rows per user per day",
        config_parameter="crm_customer_template.export_alert_rows",
        default=DEFAULT_EXPORT_LIMIT,
    )

    # Import (issue 6)
    crm_customer_import_background_rows = fields.Integer(
        string="Import in the background above (rows)",
        config_parameter="crm_customer_template.import_background_rows",
        default=5000,
    )
    crm_customer_import_max_rows = fields.Integer(
        string="Largest import (rows)",
        config_parameter="crm_customer_template.import_max_rows",
        default=200000,
    )
    crm_customer_import_background_chunk = fields.Integer(
        string="Rows per background step",
        config_parameter="crm_customer_template.import_background_chunk",
        default=2000,
    )
