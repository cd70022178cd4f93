/** @odoo-module **/
// Select two customers in the list and move them to Intent from the Action menu.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("crm_customer_lifecycle_action_menu", {
    steps: () => [
        {
            content: "Switch to the list view",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            content: "Select the first tour customer",
            trigger: ".o_data_row:contains('Tour Customer One') td.o_list_record_selector input[type='checkbox']",
            run: "click",
        },
        {
            content: "Select the second tour customer",
            trigger: ".o_data_row:contains('Tour Customer Two') td.o_list_record_selector input[type='checkbox']",
            run: "click",
        },
        {
            content: "Open the Action menu",
            trigger: ".o_cp_action_menus button:has(.fa-cog)",
            run: "click",
        },
        {
            content: "Run Set Intent",
            trigger: ".o-dropdown--menu .o-dropdown-item:contains('Set Intent')",
            run: "click",
        },
        {
            content: "The first customer is now Intent",
            trigger: ".o_data_row:contains('Tour Customer One') .o_data_cell[name='state']:contains('Intent')",
        },
        {
            content: "The second customer is now Intent",
            trigger: ".o_data_row:contains('Tour Customer Two') .o_data_cell[name='state']:contains('Intent')",
        },
        {
            content: "The untouched customer is still Potential",
            trigger: ".o_data_row:contains('Tour Customer Three') .o_data_cell[name='state']:contains('Potential')",
        },
    ],
});
