/** @odoo-module **/

import { registry } from "@web/core/registry";

// A team leader with the "Reveal contact data" right opens a team member's
// customer: the phone is masked; Reveal asks for a reason and shows it once.
registry.category("web_tour.tours").add("crm_customer_reveal_tour", {
    steps: () => [
        {
            trigger: ".o_form_view .o_field_widget[name=phone_masked] input:value('138****5678')",
            content: "The phone is masked",
        },
        {
            trigger: ".o_form_view button[name=action_open_reveal]",
            content: "Reveal the phone",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=reason] textarea",
            content: "Give the reason",
            run: "edit The customer asked to be called back",
        },
        {
            trigger: ".modal button[name=action_reveal]",
            content: "Confirm",
            run: "click",
        },
        {
            trigger: ".o_notification:contains('13812345678')",
            content: "The full number is shown once",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=phone_masked] input:value('138****5678')",
            content: "The form still shows the masked number",
        },
    ],
});
