# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import CrmCustomerReportsCommon

FAVOURITES = (
    "filter_crm_customer_count_statistics",
    "filter_crm_customer_followup_efficiency",
    "filter_crm_customer_conversion_trend",
    "filter_crm_customer_satisfaction_distribution",
)


@tagged("post_install", "-at_install", "crm_customer_reports")
class TestCrmCustomerReportViews(CrmCustomerReportsCommon):
    def test_favourites_load_for_a_salesperson(self):
        """Each saved favourite is shared, bound to its action, and its
        grouping runs as a salesperson on their own records only."""
        for xmlid in FAVOURITES:
            favourite = self.env.ref(f"crm_customer_template_reports.{xmlid}")
            self.assertFalse(favourite.user_id)
            action = self.env["ir.actions.act_window"].browse(favourite.action_id.id)
            self.assertEqual(action.res_model, favourite.model_id)
            Model = self.env[favourite.model_id].with_user(self.user_sales_a)
            views = Model.get_views([(False, mode) for mode in ("graph", "pivot", "list")])
            self.assertEqual(set(views["views"]), {"graph", "pivot", "list"})
            context = safe_eval(favourite.context)
            domain = safe_eval(favourite.domain) + safe_eval(action.domain or "[]")
            groups = Model.read_group(domain, ["__count"], context["group_by"], lazy=False)
            total = sum(group["__count"] for group in groups)
            self.assertEqual(total, Model.search_count(domain), xmlid)
            self.assertGreater(total, 0, xmlid)
            full = self.env[favourite.model_id].search_count(domain)
            self.assertLess(total, full, xmlid)  # B's records are not counted

    def test_dashboard_menu_and_action(self):
        menu = self.env.ref("crm_customer_template_reports.menu_crm_customer_dashboard")
        self.assertEqual(menu.parent_id, self.env.ref("crm_customer_template.crm_customer_menu_root"))
        visible = self.env["ir.ui.menu"].with_user(self.user_sales_a)._visible_menu_ids()
        self.assertIn(menu.id, visible)
        self.assertEqual(menu.action.tag, "crm_customer_template_reports.dashboard")
