# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Service standards (统一的服务标准和响应时间): response deadlines of needs (per
priority) and feedback (per type), overdue flags and escalation; low
satisfaction and complaints escalate to the owner and the managers."""
from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models


class CrmCustomerServiceMixin(models.AbstractModel):
    _name = "crm.customer.service.mixin"
    _description = "Customer Service Standard"

    response_deadline = fields.Datetime(
        string="Response Deadline", compute="_compute_response_deadline", store=True, index=True
    )
    is_overdue = fields.Boolean(string="Overdue", readonly=True, copy=False, index=True)
    overdue_escalated = fields.Boolean(readonly=True, copy=False)

    def _service_open_domain(self):
        raise NotImplementedError

    @api.model
    def _cron_service_overdue(self):
        """Flag what is past its deadline and still open; escalate each once
        to the responsible person's manager (team leader, else the customer
        managers). Unflag what was answered."""
        now = fields.Datetime.now()
        records = self.sudo()
        overdue = records.search(self._service_open_domain() + [("response_deadline", "<", now)])
        records.search([("is_overdue", "=", True), ("id", "not in", overdue.ids)]).write({"is_overdue": False})
        overdue.filtered(lambda record: not record.is_overdue).write({"is_overdue": True})
        to_escalate = overdue.filtered(lambda record: not record.overdue_escalated)
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        fallback = self.env.ref("crm_customer_template.group_crm_customer_manager").users.filtered(
            lambda user: not user.share and user.active and user.id != self.env.ref("base.user_root").id
        )[:1]
        vals_list = []
        for record in to_escalate:
            leader = record.user_id.sale_team_id.user_id
            manager = leader if leader and leader != record.user_id else fallback
            if not manager:
                continue
            vals_list.append({
                "activity_type_id": activity_type.id, "res_model_id": model_id, "res_id": record.id,
                "user_id": manager.id, "date_deadline": fields.Date.context_today(self), "automated": True,
                "summary": _("Overdue: %(record)s (responsible: %(user)s)",
                             record=record.display_name, user=record.user_id.name),
            })  # fmt: skip
        self.env["mail.activity"].sudo().create(vals_list)
        to_escalate.write({"overdue_escalated": True})
        return overdue


class CrmCustomerNeed(models.Model):
    _name = "crm.customer.need"
    _inherit = ["crm.customer.need", "crm.customer.service.mixin"]

    @api.depends("create_date", "priority")
    def _compute_response_deadline(self):
        param = self.env["res.config.settings"]._crm_customer_param
        for need in self:
            hours = param(f"need_hours_{need.priority}") if need.priority else 0
            start = need.create_date or fields.Datetime.now()
            need.response_deadline = start + timedelta(hours=hours) if hours > 0 else False

    def _service_open_domain(self):
        return [("state", "in", ("pending", "in_progress"))]


class CrmCustomerFeedback(models.Model):
    _name = "crm.customer.feedback"
    _inherit = ["crm.customer.feedback", "crm.customer.service.mixin"]

    escalated = fields.Boolean(string="Escalated", readonly=True, copy=False, index=True,
                               help="Low satisfaction or complaint: the owner and the managers were alerted.")  # fmt: skip

    @api.depends("feedback_date", "feedback_type_id.response_hours")
    def _compute_response_deadline(self):
        for feedback in self:
            hours = feedback.feedback_type_id.response_hours
            feedback.response_deadline = (
                feedback.feedback_date + timedelta(hours=hours) if hours and feedback.feedback_date else False
            )

    def _service_open_domain(self):
        return [("result", "=", False)]

    @api.model_create_multi
    def create(self, vals_list):
        feedbacks = super().create(vals_list)
        feedbacks._escalate_low_satisfaction()
        return feedbacks

    def write(self, vals):
        res = super().write(vals)
        if {"satisfaction", "feedback_type_id"} & vals.keys():
            self._escalate_low_satisfaction()
        return res

    def _escalate_low_satisfaction(self):
        """Complaint or satisfaction at or below the threshold: an activity for
        the customer's owner and a notification to the customer managers,
        once per feedback."""
        threshold = self.env["res.config.settings"]._crm_customer_param("satisfaction_threshold")
        to_escalate = self.sudo().filtered(
            lambda feedback: not feedback.escalated
            and (feedback.is_complaint or (feedback.satisfaction and feedback.satisfaction <= threshold))
        )
        if not to_escalate:
            return
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id("crm.customer")
        self.env["mail.activity"].sudo().create([
            {"activity_type_id": activity_type.id, "res_model_id": model_id, "res_id": feedback.customer_id.id,
             "user_id": feedback.customer_id.user_id.id, "date_deadline": fields.Date.context_today(self),
             "summary": _("Unhappy customer: %(feedback)s", feedback=feedback.display_name)}
            for feedback in to_escalate if feedback.customer_id.user_id
        ])  # fmt: skip
        managers = self.env.ref("crm_customer_template.group_crm_customer_manager").users.filtered(
            lambda user: not user.share and user.active
        )
        for feedback in to_escalate:
            reason = (_("Complaint") if feedback.is_complaint
                      else _("Satisfaction %(score)s/5", score=feedback.satisfaction))  # fmt: skip
            feedback.message_notify(
                partner_ids=managers.partner_id.ids,
                subject=_("Escalation: %(feedback)s", feedback=feedback.display_name),
                body=Markup("<p>%s</p>") % _("%(reason)s from %(customer)s, handled by %(user)s.",
                                            reason=reason, customer=feedback.customer_id.display_name,
                                            user=feedback.user_id.name or "-"),
            )  # fmt: skip
        to_escalate.write({"escalated": True})
