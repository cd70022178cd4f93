# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, models


class ReportCustomerProfile(models.AbstractModel):
    _name = "report.crm_customer_template_reports.report_customer_profile"
    _description = "Customer Profile (360) Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        common = self.env["crm.customer.report.common"]
        customers = self.env["crm.customer"].browse(docids)
        customers.check_access("read")
        phone_field = common._phone_field()
        selection = {
            fname: dict(customers._fields[fname]._description_selection(self.env))
            for fname in ("state", "grade", "customer_kind")
        }
        ledger = "crm.customer.ledger" in self.env
        profiles = []
        for customer in customers:
            history = []
            if ledger:
                history = [
                    {
                        "date": common._format_dt(row.date),
                        "kind": dict(row._fields["kind"]._description_selection(self.env)).get(
                            row.kind, ""),
                        "from": selection["state"].get(row.state_from, "") if row.state_from else (
                            row.user_from_id.display_name or ""),
                        "to": selection["state"].get(row.state_to, "") if row.state_to else (
                            row.user_to_id.display_name or ""),
                        "user": row.user_id.display_name or "",
                        "evidence": row.evidence or "",
                    }
                    for row in self.env["crm.customer.ledger"].search(
                        [("customer_id", "=", customer.id)], order="date, id"
                    )
                ]
            profiles.append({
                "customer": customer,
                "phone": customer[phone_field] or "",
                "state": selection["state"].get(customer.state, ""),
                "grade": selection["grade"].get(customer.grade, "") if customer.grade else "",
                "kind": selection["customer_kind"].get(customer.customer_kind, ""),
                "created": common._format_dt(customer.create_date),
                "last_followup": common._format_dt(customer.last_followup_date),
                "followups": [
                    {
                        "date": common._format_dt(f.followup_date),
                        "method": f.method_id.display_name,
                        "user": f.user_id.display_name,
                        "content": f.content or "",
                        "next_plan": f.next_plan or "",
                    }
                    for f in customer.followup_ids.sorted(lambda f: (f.followup_date, f.id))
                ],
                "needs": [
                    {
                        "code": n.code,
                        "type": n.need_type_id.display_name,
                        "priority": dict(n._fields["priority"]._description_selection(self.env)).get(
                            n.priority, ""),
                        "state": dict(n._fields["state"]._description_selection(self.env)).get(
                            n.state, ""),
                        "description": n.description or "",
                    }
                    for n in customer.need_ids
                ],
                "feedback": [
                    {
                        "date": common._format_dt(fb.feedback_date),
                        "type": fb.feedback_type_id.display_name,
                        "satisfaction": fb.satisfaction or "",
                        "description": fb.description or "",
                        "result": fb.result or "",
                    }
                    for fb in customer.feedback_ids
                ],
                "history": history,
            })
        return {
            "doc_ids": docids,
            "doc_model": "crm.customer",
            "docs": customers,
            "profiles": profiles,
            "ledger_available": ledger,
            **common._heading(_("Customer Profile")),
        }
