# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import plaintext2html


class _AllOrNothingAbort(Exception):
    """Raised inside the import savepoint to undo every write."""


class CrmCustomerImport(models.TransientModel):
    _name = "crm.customer.import"
    _description = "Import Customers or Follow-ups"

    import_kind = fields.Selection(
        [("customer", "Customers"), ("followup", "Follow-ups")],
        string="Import",
        required=True,
        default="customer",
    )
    file = fields.Binary(string="File", attachment=False)
    file_name = fields.Char(string="File Name")
    mode = fields.Selection(
        [("all", "All or nothing"), ("valid", "Valid rows only")],
        string="Mode",
        required=True,
        default="all",
        help="All or nothing: any row with an error and nothing is imported. "
        "Valid rows only: import the correct rows and report the others.",
    )
    duplicate_policy = fields.Selection(
        [("skip", "Skip"), ("update", "Update")],
        string="Existing Records",
        required=True,
        default="skip",
        help="What to do with a row whose record already exists (same code, credit code, "
        "or same name and phone for a customer without credit code).",
    )
    state = fields.Selection(
        [("upload", "Upload"), ("result", "Result")], default="upload", required=True
    )
    summary = fields.Text(string="Summary", readonly=True)
    result_file = fields.Binary(string="Result Workbook", attachment=False, readonly=True)
    result_file_name = fields.Char(readonly=True)
    batch_id = fields.Many2one("crm.customer.import.batch", string="Import Batch", readonly=True)
    background_rows = fields.Integer(
        string="Background Above",
        compute="_compute_background_rows",
        help="Files with more rows than this are imported in the background.",
    )

    def _compute_background_rows(self):
        rows = self.env["crm.customer.import.engine"]._background_rows()
        for wizard in self:
            wizard.background_rows = rows

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_download_template(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/crm_customer_template/import_template/{self.import_kind}",
            "target": "download",
        }

    def _content(self):
        self.ensure_one()
        if not self.file:
            raise UserError(self.env._("Choose a file to import first."))
        content = self.file
        if isinstance(content, str):
            content = content.encode()
        # Binary fields without attachment hold base64 text
        try:
            return base64.b64decode(content, validate=True)
        except ValueError:
            return content

    def _check_rights(self):
        if not self.env.user.has_group("crm_customer_template.group_crm_customer_user"):
            raise UserError(self.env._("You are not allowed to import customers."))

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Import Result"),
        }

    def action_dry_run(self):
        """Validate every row, write nothing, return the result workbook."""
        self.ensure_one()
        self._check_rights()
        engine = self.env["crm.customer.import.engine"]
        content = self._content()
        headers, results = engine._plan(
            self.import_kind, content, self.file_name, policy=self.duplicate_policy
        )
        counts = engine._counts(results)
        summary = self.env["crm.customer.import.batch"]._summary_text(counts, False, "dry")
        workbook = engine._result_workbook(
            headers, results, False, self._summary_rows(counts, summary)
        )
        self.write({
            "state": "result",
            "summary": summary,
            "result_file": base64.b64encode(workbook),
            "result_file_name": self._result_name(),
        })
        return self._reopen()

    def action_import(self):
        self.ensure_one()
        self._check_rights()
        engine = self.env["crm.customer.import.engine"]
        content = self._content()
        rows = engine._count_rows(content, self.file_name)
        if rows > engine._background_rows() and not self.env.context.get("crm_import_foreground"):
            return self._queue(content, rows)
        batch = self._import_now(content)
        return self._reopen() if batch else True

    def _import_now(self, content):
        engine = self.env["crm.customer.import.engine"]
        Batch = self.env["crm.customer.import.batch"]
        headers, results = engine._plan(
            self.import_kind, content, self.file_name, policy=self.duplicate_policy
        )
        counts = engine._counts(results)
        valid_only = self.mode == "valid"
        Model = self.env[Batch._target_model_of(self.import_kind)]
        created, undo, written = Model.browse(), {}, False
        if not counts["error"] or valid_only:
            try:
                with self.env.cr.savepoint():
                    created, undo = engine._apply(self.import_kind, results, valid_only)
                    if not valid_only and any(r.errors for r in results):
                        raise _AllOrNothingAbort()
                written = True
            except _AllOrNothingAbort:
                self.env.invalidate_all()
                created, undo = Model.browse(), {}
            counts = engine._counts(results)
        batch = Batch.sudo().create({
            "name": self.file_name,
            "import_kind": self.import_kind,
            "mode": self.mode,
            "duplicate_policy": self.duplicate_policy,
        })
        batch.write(batch._log_values(counts, created, undo, self.mode, written))
        values = {"state": "result", "summary": batch.message, "batch_id": batch.id}
        if counts["error"] or counts["skip"]:
            workbook = engine._result_workbook(
                headers, results, written, self._summary_rows(counts, batch.message)
            )
            batch._set_result_file(workbook)
            values.update(result_file=base64.b64encode(workbook),
                          result_file_name=self._result_name())
        batch.message_post(body=plaintext2html(batch.message or ""))
        self.write(values)
        return batch

    def _queue(self, content, rows):
        batch = self.env["crm.customer.import.batch"].sudo().create({
            "name": self.file_name,
            "import_kind": self.import_kind,
            "mode": self.mode,
            "duplicate_policy": self.duplicate_policy,
            "file": base64.b64encode(content),
            "rows_total": rows,
            "message": self.env._(
                "Queued: %(rows)s rows will be imported in the background. You will be "
                "notified when it is done; you can close this page.", rows=rows
            ),
        })
        self.env.ref("crm_customer_template.ir_cron_crm_customer_import")._trigger()
        self.write({"state": "result", "summary": batch.message, "batch_id": batch.id})
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.customer.import.batch",
            "res_id": batch.id,
            "view_mode": "form",
            "target": "current",
        }

    # ------------------------------------------------------------
    # TOOLING
    # ------------------------------------------------------------

    def _result_name(self):
        stem = (self.file_name or "import").rsplit(".", 1)[0]
        return f"{stem}_result.xlsx"

    @api.model
    def _summary_rows(self, counts, summary):
        return [(line, "") for line in (summary or "").splitlines()]
