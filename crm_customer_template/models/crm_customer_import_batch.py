# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import logging

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import plaintext2html

from .crm_customer_import_engine import RowResult

_logger = logging.getLogger(__name__)

BACKGROUND_CHUNK = 2000
PARAM_BACKGROUND_CHUNK = "crm_customer_template.import_background_chunk"


class CrmCustomerImportBatch(models.Model):
    """One import run: who, when, which file, what it did. Keeps the records it
    created and the previous values of those it updated so that a manager can
    roll it back while nobody has touched them; large files are processed here
    in the background (``_cron_process_queue``)."""

    _name = "crm.customer.import.batch"
    _description = "Customer Import Batch"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="File Name", required=True, readonly=True)
    import_kind = fields.Selection(
        [("customer", "Customers"), ("followup", "Follow-ups")],
        string="Import Type",
        required=True,
        readonly=True,
    )
    user_id = fields.Many2one(
        "res.users", string="Imported by", required=True, readonly=True, index=True,
        default=lambda self: self.env.user,
    )
    company_id = fields.Many2one(
        "res.company", string="Company", required=True, readonly=True, index=True,
        default=lambda self: self.env.company,
    )
    state = fields.Selection(
        [
            ("queued", "Queued"),
            ("running", "Running"),
            ("done", "Done"),
            ("failed", "Failed"),
            ("rolled_back", "Rolled Back"),
        ],
        string="Status",
        required=True,
        default="queued",
        readonly=True,
        tracking=True,
        index=True,
    )
    mode = fields.Selection(
        [("all", "All or nothing"), ("valid", "Valid rows only")],
        string="Mode",
        required=True,
        default="all",
        readonly=True,
    )
    duplicate_policy = fields.Selection(
        [("skip", "Skip"), ("update", "Update")],
        string="Existing Records",
        required=True,
        default="skip",
        readonly=True,
    )
    date_done = fields.Datetime(string="Finished on", readonly=True)
    rows_total = fields.Integer(string="Rows", readonly=True)
    rows_done = fields.Integer(string="Rows Processed", readonly=True)
    progress = fields.Float(string="Progress", compute="_compute_progress")
    count_created = fields.Integer(string="Created", readonly=True)
    count_updated = fields.Integer(string="Updated", readonly=True)
    count_skipped = fields.Integer(string="Skipped", readonly=True)
    count_error = fields.Integer(string="Rows with Errors", readonly=True)
    message = fields.Text(string="Result", readonly=True)
    customer_ids = fields.Many2many(
        "crm.customer", "crm_customer_import_batch_customer_rel", "batch_id", "customer_id",
        string="Created Customers", readonly=True,
    )
    followup_ids = fields.Many2many(
        "crm.customer.followup", "crm_customer_import_batch_followup_rel", "batch_id",
        "followup_id", string="Created Follow-ups", readonly=True,
    )
    updated_record_count = fields.Integer(
        string="Updated Records", compute="_compute_record_count"
    )
    record_count = fields.Integer(string="Created Records", compute="_compute_record_count")
    # previous values for a manager's rollback (contact data as encrypted tokens);
    # used server side only, never sent to a client
    undo_data = fields.Json(
        string="Previous Values", readonly=True, copy=False, groups="base.group_system"
    )
    plan_data = fields.Json(string="Pending Rows", readonly=True, copy=False)
    # the uploaded file is kept only until a background import has read it
    file = fields.Binary(string="File", attachment=True, readonly=True)
    result_file = fields.Binary(string="Result Workbook", attachment=True, readonly=True)
    result_file_name = fields.Char(string="Result File Name", readonly=True)
    can_rollback = fields.Boolean(compute="_compute_can_rollback")

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("rows_total", "rows_done", "state")
    def _compute_progress(self):
        for batch in self:
            if batch.state in ("done", "rolled_back"):
                batch.progress = 100.0
            elif batch.rows_total:
                batch.progress = 100.0 * batch.rows_done / batch.rows_total
            else:
                batch.progress = 0.0

    @api.depends("customer_ids", "followup_ids", "undo_data")
    def _compute_record_count(self):
        for batch in self:
            batch.record_count = len(batch.customer_ids) + len(batch.followup_ids)
            batch.updated_record_count = len(batch.undo_data or {})

    @api.depends("state")
    @api.depends_context("uid")
    def _compute_can_rollback(self):
        is_manager = self.env.user.has_group("crm_customer_template.group_crm_customer_manager")
        for batch in self:
            batch.can_rollback = is_manager and batch.state == "done"

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def _records(self):
        self.ensure_one()
        return self.customer_ids if self.import_kind == "customer" else self.followup_ids

    def action_view_records(self):
        self.ensure_one()
        model = "crm.customer" if self.import_kind == "customer" else "crm.customer.followup"
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Imported Records"),
            "res_model": model,
            "view_mode": "list,form",
            "domain": [("id", "in", self._records().ids)],
        }

    def action_rollback(self):
        """Delete the created records and restore the updated ones, provided
        nobody has modified them (or added follow-ups, needs, feedback) since."""
        if not self.env.user.has_group("crm_customer_template.group_crm_customer_manager"):
            raise AccessError(self.env._("Only a customer manager can roll back an import."))
        for batch in self:
            if batch.state != "done":
                raise UserError(
                    self.env._("Only a finished import can be rolled back (batch %(name)s).",
                               name=batch.name)
                )
            Model = self.env[batch._target_model()]
            created = batch._records().exists()
            updated = Model.browse([int(i) for i in (batch.undo_data or {})]).exists()
            touched = (created | updated).filtered(
                # date_done is stored to the second, write_date to the microsecond:
                # a write in the same second as the end of the import is the import
                lambda r, limit=batch.date_done: (
                    r.write_date and r.write_date.replace(microsecond=0) > limit
                )
            )
            if batch.import_kind == "customer" and created:
                for fname in ("followup_ids", "need_ids", "feedback_ids"):
                    if fname in Model._fields:
                        touched |= created.filtered(fname)
            if touched:
                raise UserError(
                    self.env._(
                        "This import cannot be rolled back: %(count)s of its records were "
                        "modified since (%(codes)s).",
                        count=len(touched),
                        codes=", ".join(touched[:10].mapped("code")),
                    )
                )
            # restore as superuser after the manager check above: the previous
            # values may include fields restricted by groups (contact data)
            for record in updated.sudo():
                record.with_context(tracking_disable=True).write(
                    batch.undo_data[str(record.id)]
                )
            created.unlink()
            batch.sudo().write({"state": "rolled_back"})
            batch.sudo().message_post(
                body=self.env._(
                    "Rolled back by %(user)s: %(created)s records deleted, %(updated)s restored.",
                    user=self.env.user.name,
                    created=len(created),
                    updated=len(updated),
                )
            )
        return True

    # ------------------------------------------------------------
    # LOG
    # ------------------------------------------------------------

    @api.model
    def _summary_text(self, counts, written, mode):
        env = self.env
        lines = [
            env._("Rows read: %(n)s", n=counts["total"]),
            env._("Rows with errors: %(n)s", n=counts["error"]),
            env._("Already in the database, skipped: %(n)s", n=counts["skip"]),
        ]
        if written:
            lines += [
                env._("Created: %(n)s", n=counts["create"]),
                env._("Updated: %(n)s", n=counts["update"]),
            ]
        elif counts["error"] and mode == "all":
            lines.append(
                env._("Nothing was imported: correct the rows with errors (see the result "
                      "workbook) or choose “Valid rows only”.")
            )
        else:
            lines += [
                env._("Would be created: %(n)s", n=counts["create"]),
                env._("Would be updated: %(n)s", n=counts["update"]),
                env._("Dry run: nothing was written."),
            ]
        return "\n".join(lines)

    @api.model
    def _log_values(self, counts, created, undo, mode, written):
        return {
            "state": "done" if written else "failed",
            "date_done": fields.Datetime.now(),
            "rows_total": counts["total"],
            "rows_done": counts["total"],
            "count_created": counts["create"] if written else 0,
            "count_updated": counts["update"] if written else 0,
            "count_skipped": counts["skip"],
            "count_error": counts["error"],
            "undo_data": undo or {},
            "message": self._summary_text(counts, written, mode),
            (
                "customer_ids" if created._name == "crm.customer" else "followup_ids"
            ): [Command.set(created.ids)],
        }

    def _notify_user(self):
        """Inbox message and a pop-up notification for the user who imported."""
        for batch in self:
            title = (
                self.env._("Import finished: %(name)s", name=batch.name)
                if batch.state == "done"
                else self.env._("Import failed: %(name)s", name=batch.name)
            )
            batch.message_post(
                body=plaintext2html(f"{title}\n{batch.message or ''}"),
                partner_ids=batch.user_id.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
            batch.user_id._bus_send(
                "simple_notification",
                {
                    "type": "success" if batch.state == "done" else "danger",
                    "title": title,
                    "message": batch.message or "",
                    "sticky": batch.state != "done",
                },
            )

    # ------------------------------------------------------------
    # BACKGROUND PROCESSING
    # ------------------------------------------------------------

    @api.model
    def _cron_process_queue(self):
        """Process queued or running imports one step at a time: the first step
        validates the whole file (nothing written), each next step creates one
        chunk, committed by the cron between steps (``_notify_progress``)."""
        batches = self.sudo().search([("state", "in", ("queued", "running"))], order="id")
        if not batches:
            return
        batch = batches[0]
        as_user = batch.with_user(batch.user_id).with_company(batch.company_id)
        try:
            with self.env.cr.savepoint():
                as_user._process_step()
        except Exception as exc:  # noqa: BLE001 - any failure ends the batch, reported
            _logger.exception("Import batch %s failed", batch.id)
            self.env.invalidate_all()
            batch._compensate()
            batch.write({"state": "failed", "date_done": fields.Datetime.now(),
                         "plan_data": False, "file": False,
                         "message": self.env._("The import failed: %(error)s", error=exc)})
            batch._notify_user()
        remaining = sum(
            max(b.rows_total - b.rows_done, 1) for b in batches if b.state in ("queued", "running")
        )
        self.env["ir.cron"]._notify_progress(done=batch.rows_done, remaining=remaining)

    def _compensate(self):
        """All-or-nothing in the background: undo the chunks already committed."""
        self.ensure_one()
        self = self.sudo()
        created = self._records().exists()
        if self.undo_data:
            Model = created.browse().env[created._name]
            for record in Model.browse([int(i) for i in self.undo_data]).exists():
                record.with_context(tracking_disable=True).write(self.undo_data[str(record.id)])
        created.unlink()

    def _process_step(self):
        """One step of a background import, run as the importing user."""
        self.ensure_one()
        engine = self.env["crm.customer.import.engine"]
        log = self.sudo()
        if self.state == "queued":
            content = base64.b64decode(log.file or b"")
            headers, results = engine._plan(
                self.import_kind, content, self.name, policy=self.duplicate_policy
            )
            counts = engine._counts(results)
            workbook = None
            if counts["error"] or counts["skip"]:
                workbook = engine._result_workbook(headers, results, False, [])
            if counts["error"] and self.mode == "all":
                log.write(dict(self._log_values(counts, self.env[self._target_model()], {},
                                                self.mode, written=False), file=False))
                log._set_result_file(workbook)
                log._notify_user()
                return
            plan = [
                [r.row, r.action, r.res_id, r.vals]
                for r in results if not r.errors and r.action in ("create", "update")
            ]
            log.write({
                "state": "running",
                "plan_data": {"rows": plan, "counts": counts},
                "rows_total": len(plan),
                "rows_done": 0,
                "count_error": counts["error"],
                "count_skipped": counts["skip"],
            })
            log._set_result_file(workbook)
            return
        plan = log.plan_data or {"rows": [], "counts": {}}
        size = engine._get_int_param(PARAM_BACKGROUND_CHUNK, BACKGROUND_CHUNK)
        rows = plan["rows"][self.rows_done:self.rows_done + size]
        results = [
            RowResult(row=row, values=[], vals=vals, action=action, res_id=res_id)
            for row, action, res_id, vals in rows
        ]
        valid_only = self.mode == "valid"
        created, undo = engine._apply(self.import_kind, results, valid_only)
        failed = [r for r in results if r.errors]
        if failed and not valid_only:
            raise UserError(
                self.env._("Row %(row)s: %(error)s", row=failed[0].row, error=failed[0].errors[0])
            )
        field_name = "customer_ids" if self.import_kind == "customer" else "followup_ids"
        values = {
            "rows_done": self.rows_done + len(rows),
            field_name: [Command.link(rid) for rid in created.ids],
            "undo_data": dict(log.undo_data or {}, **undo),
            "count_created": self.count_created + len(created),
            "count_updated": self.count_updated + len(undo),
            "count_error": self.count_error + len(failed),
        }
        if values["rows_done"] >= self.rows_total:
            counts = dict(plan["counts"])
            counts.update(create=values["count_created"], update=values["count_updated"],
                          error=values["count_error"])
            values.update(
                state="done",
                date_done=fields.Datetime.now(),
                plan_data=False,
                file=False,
                message=self._summary_text(counts, True, self.mode),
            )
        log.write(values)
        if log.state == "done":
            log._notify_user()

    def _target_model(self):
        return self._target_model_of(self.import_kind)

    @api.model
    def _target_model_of(self, kind):
        return "crm.customer" if kind == "customer" else "crm.customer.followup"

    def _set_result_file(self, workbook):
        if workbook:
            self.write({
                "result_file": base64.b64encode(workbook),
                "result_file_name": f"{self.name.rsplit('.', 1)[0]}_result.xlsx",
            })
