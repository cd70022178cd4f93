/** @odoo-module **/
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("crm_customer_dashboard_tour", {
    url: "/odoo/action-crm_customer_template_reports.action_crm_customer_dashboard",
    steps: () => [
        {
            content: "The dashboard shows the new-customer tile",
            trigger: ".o_crm_tile[data-tile='new_customers'] .o_crm_tile_value",
        },
        {
            content: "Charts are drawn",
            trigger: ".o_crm_dashboard_chart[data-chart='new_won'] canvas",
        },
        {
            content: "Switch the period to last 12 months",
            trigger: "select.o_crm_filter_preset",
            run: "select last_12_months",
        },
        {
            content: "The figures reload for the new period",
            trigger: ".o_crm_dashboard_period:contains('Last 12 months')",
        },
        {
            content: "Open the new customers of the period",
            trigger: ".o_crm_tile[data-tile='new_customers']",
            run: "click",
        },
        {
            content: "The list of customers opens",
            trigger: ".o_list_view .o_data_row",
        },
    ],
});
