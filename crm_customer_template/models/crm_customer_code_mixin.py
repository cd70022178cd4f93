# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL


class CrmCustomerCodeMixin(models.AbstractModel):
    """Daily-reset record code (C/G/D/F + yyyymmdd + 3-digit counter) and the
    server-side check of required values shared by the four customer records.

    Inheriting models set ``_crm_code_sequence`` (the ``ir.sequence`` code) and
    ``_crm_required_fields`` (the fields whose value must be given; checked
    before the INSERT so the message names the field instead of the column).
    """

    _name = "crm.customer.code.mixin"
    _description = "Customer Management Code Mixin"

    _crm_code_sequence = "crm.customer"
    _crm_required_fields = ()

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    code = fields.Char(
        string="Code",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        default=lambda self: self.env._("New"),
    )

    _sql_constraints = [
        ("code_unique", "UNIQUE(code)", "The code must be unique."),
    ]

    # ------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------

    @api.constrains(lambda self: self._crm_required_fields)
    def _check_crm_required_fields(self):
        for record in self:
            for fname in self._crm_required_fields:
                if self._crm_is_empty(record[fname]):
                    raise ValidationError(self._crm_required_message(fname))

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self._crm_check_required_vals(vals_list, creating=True)
        new_code = self.env._("New")
        to_number = [
            vals for vals in vals_list if vals.get("code") in (None, False, "", "New", new_code)
        ]
        if len(to_number) != len(vals_list) and not self.env.su:
            # codes are evidence (contract follow-up, audits): only the
            # sequence gives them; data migrations may set them as superuser
            raise UserError(self.env._("The code is assigned automatically and cannot be set."))
        if to_number:
            codes = self._crm_next_codes(len(to_number))
            for vals, code in zip(to_number, codes, strict=True):
                vals["code"] = code
        return super().create(vals_list)

    def write(self, vals):
        if "code" in vals and any(record.code != vals["code"] for record in self):
            raise UserError(self.env._("The code of a record cannot be changed."))
        self._crm_check_required_vals([vals], creating=False)
        return super().write(vals)

    # ------------------------------------------------------------
    # TOOLING
    # ------------------------------------------------------------

    @api.model
    def _crm_next_codes(self, count):
        """Draw ``count`` codes from today's range of the model's sequence.

        When today's range does not exist yet, the sequence row is locked with
        a real UPDATE first: a concurrent transaction creating the first record
        of the day then fails with a serialization error and is retried by
        Odoo instead of creating a second range (and duplicate codes).
        """
        sequence = self.env["ir.sequence"].search(
            [
                ("code", "=", self._crm_code_sequence),
                ("company_id", "in", [self.env.company.id, False]),
            ],
            order="company_id",
            limit=1,
        )
        if not sequence:
            raise UserError(
                self.env._(
                    "No sequence with code %(code)s is defined.",
                    code=self._crm_code_sequence,
                )
            )
        today = fields.Date.context_today(self)
        if not sequence.use_date_range:
            return [sequence.next_by_id() for _i in range(count)]
        date_range = self.env["ir.sequence.date_range"].search(
            [
                ("sequence_id", "=", sequence.id),
                ("date_from", "<=", today),
                ("date_to", ">=", today),
            ],
            limit=1,
        )
        if not date_range:
            self.env.cr.execute(
                SQL("UPDATE ir_sequence SET write_date = write_date WHERE id = %s", sequence.id)
            )
            date_range = sequence._create_date_range_seq(today)
        # what ir.sequence._next() does, with one nextval() round trip per batch
        date_range = date_range.with_context(ir_sequence_date_range=date_range.date_from)
        if sequence.implementation != "standard":
            return [date_range._next() for _i in range(count)]
        self.env.cr.execute(
            SQL(
                "SELECT nextval(%s) FROM generate_series(1, %s)",
                f"ir_sequence_{sequence.id:03d}_{date_range.id:03d}",
                count,
            )
        )
        numbers = sorted(row[0] for row in self.env.cr.fetchall())
        sequence = sequence.with_context(ir_sequence_date_range=date_range.date_from)
        return [sequence.get_next_char(number) for number in numbers]

    @api.model
    def _crm_is_empty(self, value):
        if isinstance(value, str):
            return not value.strip()
        return not value

    @api.model
    def _crm_required_message(self, fname):
        return self.env._(
            "%(model)s: the field “%(field)s” is required.",
            model=self.env["ir.model"]._get(self._name).name or self._description,
            field=self._fields[fname]._description_string(self.env),
        )

    @api.model
    def _crm_check_required_vals(self, vals_list, creating):
        """Refuse missing or blank required values before they reach SQL."""
        required = self._crm_required_fields
        if not required:
            return
        defaults = {}
        if creating:
            missing = {fname for vals in vals_list for fname in required if fname not in vals}
            defaults = self.default_get(list(missing)) if missing else {}
        for vals in vals_list:
            for fname in required:
                if fname in vals:
                    value = vals[fname]
                elif creating:
                    value = defaults.get(fname)
                else:
                    continue
                if self._crm_is_empty(value):
                    raise ValidationError(self._crm_required_message(fname))
