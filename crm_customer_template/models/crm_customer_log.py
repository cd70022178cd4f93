# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, time

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.http import request

REVEAL_LIMIT_PARAM = "crm_customer_template.reveal_daily_limit"
REVEAL_ALERT_PARAM = "crm_customer_template.reveal_alert_threshold"
EXPORT_LIMIT_PARAM = "crm_customer_template.export_alert_rows"
DEFAULT_REVEAL_LIMIT = 20
DEFAULT_REVEAL_ALERT = 10
DEFAULT_EXPORT_LIMIT = 1000


class CrmCustomerLog(models.Model):
    """Append-only operation log: reveals, exports, transfers, erasures...

    Rows are written only through :meth:`_log` (sudo inside); nobody, managers
    and the superuser included, can change or delete them through the ORM.
    Values of sensitive fields never go in here: only masked ones.
    """

    _name = "crm.customer.log"
    _description = "Customer Operation Log"
    _order = "date desc, id desc"
    _rec_name = "operation"

    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True, readonly=True)
    user_id = fields.Many2one(
        "res.users",
        string="User",
        required=True,
        default=lambda self: self.env.user,
        index=True,
        readonly=True,
        ondelete="restrict",
    )
    operation = fields.Selection(
        [
            ("reveal", "Reveal of contact data"),
            ("export", "Export"),
            ("owner", "Owner transfer"),
            ("state", "Status change"),
            ("unlink", "Deletion"),
            ("erasure", "Personal data erasure"),
            ("change_request", "Key information change"),
            ("alert", "Threshold alert"),
            ("login", "Login"),
        ],
        required=True,
        index=True,
        readonly=True,
    )
    res_model = fields.Char(string="Model", index=True, readonly=True)
    res_id = fields.Many2oneReference(string="Record ID", model_field="res_model", readonly=True)
    customer_id = fields.Many2one(
        "crm.customer",
        string="Customer",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
    )
    company_id = fields.Many2one(
        "res.company",
        string="Company",
        default=lambda self: self.env.company,
        index=True,
        readonly=True,
    )
    field_name = fields.Char(string="Field", readonly=True)
    row_count = fields.Integer(string="Rows", readonly=True)
    reason = fields.Text(string="Reason", readonly=True)
    description = fields.Char(string="Details", readonly=True)
    ip_address = fields.Char(string="IP Address", readonly=True)

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get("crm_customer_log_helper"):
            raise AccessError(self.env._("The operation log is written by the application only."))
        return super().create(vals_list)

    def write(self, vals):
        raise AccessError(self.env._("The operation log cannot be modified."))

    @api.ondelete(at_uninstall=True)
    def _unlink_except_always(self):
        raise AccessError(self.env._("The operation log cannot be deleted."))

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _log(self, operation, records=None, **values):
        """Write one log row per record of ``records`` (or one row without record).

        The only writer of this model. ``values`` are extra field values
        (``reason``, ``row_count``, ``field_name``, ``description``...).
        """
        base = {
            "operation": operation,
            "user_id": self.env.uid,
            "company_id": self.env.company.id,
            "ip_address": self._request_ip(),
            **values,
        }
        if records is None or not records:
            vals_list = [base]
        else:
            is_customer = records._name == "crm.customer"
            vals_list = []
            for record in records:
                if is_customer:
                    customer = record
                else:
                    customer = record["customer_id"] if "customer_id" in record._fields else False
                vals_list.append(
                    {
                        **base,
                        "res_model": records._name,
                        "res_id": record.id,
                        "customer_id": customer and customer.id,
                        "company_id": (
                            record["company_id"].id
                            if "company_id" in record._fields and record["company_id"]
                            else base["company_id"]
                        ),
                    }
                )
        return self.sudo().with_context(crm_customer_log_helper=True).create(vals_list)

    @api.model
    def _log_export(self, records, fields_to_export):
        """Log an export of ``records`` and alert on the daily row threshold."""
        self._log(
            "export",
            res_model=records._name,
            row_count=len(records),
            description=", ".join(fields_to_export)[:250],
        )
        self._check_alert("export", EXPORT_LIMIT_PARAM, DEFAULT_EXPORT_LIMIT, "row_count:sum")

    @api.model
    def _request_ip(self):
        try:
            return request.httprequest.remote_addr if request else False
        except RuntimeError:
            return False

    @api.model
    def _today_start(self):
        """Start of the user's day, in UTC (what `date` is stored in)."""
        today = fields.Date.context_today(self)
        local = fields.Datetime.context_timestamp(self, datetime.combine(today, time.min))
        offset = local.utcoffset()
        return (
            datetime.combine(today, time.min) - offset
            if offset
            else datetime.combine(today, time.min)
        )

    @api.model
    def _count_today(self, operation, user=None, aggregate="__count"):
        """Count (or sum of rows) of ``operation`` by ``user`` since midnight."""
        user = user or self.env.user
        domain = [
            ("operation", "=", operation),
            ("user_id", "=", user.id),
            ("date", ">=", self._today_start()),
        ]
        [[total]] = self.sudo()._read_group(domain, [], [aggregate])
        return total or 0

    @api.model
    def _get_limit(self, param, default):
        value = self.env["ir.config_parameter"].sudo().get_param(param)
        try:
            return int(value) if value not in (None, False, "") else default
        except ValueError:
            return default

    @api.model
    def _check_alert(self, operation, threshold_param, default, aggregate="__count"):
        """Alert the managers the first time today the user crosses the threshold."""
        threshold = self._get_limit(threshold_param, default)
        if threshold <= 0:
            return False
        done = self._count_today(operation, aggregate=aggregate)
        if done <= threshold:
            return False
        already = self.sudo().search_count(
            [
                ("operation", "=", "alert"),
                ("user_id", "=", self.env.uid),
                ("field_name", "=", operation),
                ("date", ">=", self._today_start()),
            ],
            limit=1,
        )
        if already:
            return False
        labels = dict(self._fields["operation"]._description_selection(self.env))
        description = self.env._(
            "%(user)s crossed today's threshold for %(operation)s: %(done)s "
            "(threshold %(threshold)s).",
            user=self.env.user.name,
            operation=labels[operation],
            done=done,
            threshold=threshold,
        )
        self._log("alert", field_name=operation, row_count=done, description=description)
        managers = (
            self.env.ref("crm_customer_template.group_crm_customer_manager")
            .sudo()
            .users.filtered(
                lambda u: not u.share and u.active and self.env.company in u.company_ids
            )
        )
        partners = managers.partner_id - self.env.ref("base.partner_root")
        if partners:
            self.env["mail.thread"].sudo().message_notify(
                partner_ids=partners.ids,
                subject=self.env._("Customer data alert"),
                body=description,
                subtype_xmlid="mail.mt_note",
            )
        return True
