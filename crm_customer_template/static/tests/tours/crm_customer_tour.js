/** @odoo-module **/

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("crm_customer_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: ".o_app[data-menu-xmlid='crm_customer_template.crm_customer_menu_root']",
            content: "Open the Customers app",
            run: "click",
        },
        {
            trigger: ".o_kanban_view .o_kanban_group",
            content: "The customer kanban is grouped by status",
        },
        {
            trigger: "button.o_switch_view.o_list",
            content: "Switch to the list view",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_list_button_add",
            content: "Create a customer through the form",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=name] input",
            content: "Customer name",
            run: "edit 杭州巡检测试科技有限公司",
        },
        {
            trigger: ".o_field_widget[name=industry_id] input",
            content: "Industry",
            run: "edit IT/Comm",
        },
        {
            trigger: ".ui-autocomplete .ui-menu-item a:contains('IT/Communication')",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=contact_name] input",
            content: "Contact person",
            run: "edit 陈晨",
        },
        {
            trigger: ".o_field_widget[name=phone] input",
            content: "Phone",
            run: "edit 138-1234-5678",
        },
        ...stepUtils.saveForm(),
        {
            trigger: ".o_form_view .o_field_widget[name=code]:not(:contains('New'))",
            content: "The customer got its code",
        },
        {
            trigger: "button[name=action_view_followups]",
            content: "Open the follow-ups of the customer",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_list_button_add",
            content: "Log a follow-up",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=customer_id] input:value('杭州巡检测试科技有限公司')",
            content: "The follow-up is for the customer",
        },
        {
            trigger: ".o_field_widget[name=method_id] input",
            content: "Method",
            run: "edit Phone",
        },
        {
            trigger: ".ui-autocomplete .ui-menu-item a:contains('Phone')",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=content] textarea",
            content: "What was discussed",
            run: "edit 首次电话沟通，客户有意向试用。",
        },
        {
            trigger: ".o_field_widget[name=next_plan] textarea",
            content: "Next plan",
            run: "edit 发送试用账号",
        },
        ...stepUtils.saveForm(),
        {
            trigger: ".o_form_view .o_field_widget[name=code]:contains('G')",
            content: "The follow-up got its code",
        },
    ],
});
