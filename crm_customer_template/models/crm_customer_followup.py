# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models


class CrmCustomerFollowup(models.Model):
    _name = "crm.customer.followup"
    _description = "Customer Follow-up"
    _inherit = ["crm.customer.code.mixin"]
    _order = "followup_date desc, id desc"
    _rec_name = "code"
    _check_company_auto = True

    _crm_code_sequence = "crm.customer.followup"
    _crm_required_fields = ("customer_id", "followup_date", "method_id", "content", "user_id")

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    customer_id = fields.Many2one(
        "crm.customer",
        string="Customer",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    followup_date = fields.Datetime(
        string="Follow-up Date",
        required=True,
        default=fields.Datetime.now,
        index=True,
    )
    method_id = fields.Many2one(
        "crm.customer.followup.method", string="Method", required=True, index=True
    )
    content = fields.Text(string="Content", required=True)
    next_plan = fields.Text(string="Next Plan")
    next_date = fields.Date(string="Next Follow-up Date")
    user_id = fields.Many2one(
        "res.users",
        string="Followed up by",
        required=True,
        default=lambda self: self.env.user,
        index=True,
        domain="[('share', '=', False)]",
    )
    company_id = fields.Many2one(
        related="customer_id.company_id", store=True, index=True, string="Company"
    )
    activity_id = fields.Many2one(
        "mail.activity",
        string="Scheduled Activity",
        readonly=True,
        copy=False,
        ondelete="set null",
        index="btree_not_null",
    )

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        followups = super().create(vals_list)
        if not self.env.context.get("crm_customer_defer_followup_activity"):
            followups._with_next_plan()._schedule_next_activities()
        return followups

    def write(self, vals):
        res = super().write(vals)
        if {"next_plan", "next_date", "followup_date", "customer_id"} & vals.keys():
            self._sync_next_activities()
        return res

    def unlink(self):
        activities = self.activity_id
        res = super().unlink()
        activities.exists().unlink()
        return res

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _with_next_plan(self):
        return self.filtered(lambda followup: followup.next_plan and followup.next_plan.strip())

    def _next_activity_values(self):
        """Deadline, summary, assignee and document of the activity planned by
        ``self``: the customer's owner, on ``next_date`` or the day after the
        follow-up, summed up by the first line of the plan."""
        self.ensure_one()
        deadline = self.next_date or (
            fields.Date.context_today(self, self.followup_date) + timedelta(days=1)
        )
        return {
            "date_deadline": deadline,
            "summary": self.next_plan.strip().splitlines()[0][:250],
            "user_id": self.customer_id.user_id.id,
            "res_id": self.customer_id.id,
        }

    def _schedule_next_activities(self):
        """Create in one batch the follow-up activity on the customer of each
        follow-up of ``self`` (all with a next plan and no activity yet)."""
        if not self:
            return self.env["mail.activity"]
        activity_type = self.env.ref(
            "crm_customer_template.mail_activity_type_crm_customer_followup"
        )
        model_id = self.env["ir.model"]._get_id("crm.customer")
        common = {
            "activity_type_id": activity_type.id,
            "automated": True,
            "note": activity_type.default_note,
            "res_model_id": model_id,
        }
        # a batch (import, generator) does not send one notification per activity
        activity_model = self.env["mail.activity"]
        if len(self) > 1:
            activity_model = activity_model.with_context(mail_activity_quick_update=True)
        activities = activity_model.create(
            [dict(common, **followup._next_activity_values()) for followup in self]
        )
        for followup, activity in zip(self, activities, strict=True):
            followup.activity_id = activity
        return activities

    def _sync_next_activities(self):
        """Align the scheduled activities with the next plans of ``self``:
        update the existing ones, remove those whose plan was cleared and
        schedule the missing ones."""
        with_plan = self._with_next_plan()
        (self - with_plan).activity_id.unlink()
        to_update = with_plan.filtered("activity_id")
        for followup in to_update:
            activity = followup.activity_id
            changes = {
                key: value
                for key, value in followup._next_activity_values().items()
                if (activity[key].id if key == "user_id" else activity[key]) != value
            }
            if changes:
                activity.write(changes)
        (with_plan - to_update)._schedule_next_activities()
