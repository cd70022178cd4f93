# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Customer Management Reports (客户报表与看板)",
    "version": "18.0.1.1.0",
    "category": "Sales/CRM",
    "summary": "KPI dashboard, PDF and Excel reports for Customer Management / "
    "客户管理看板、PDF 与 Excel 报表",
    "author": "crm_customer_template contributors",
    "website": "https://github.com/crm-customer-template/crm_customer_template",
    "license": "LGPL-3",
    "depends": ["crm_customer_template", "report_xlsx"],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "data": [
        "security/ir.model.access.csv",
        "report/ir_actions_report.xml",
        "report/report_templates.xml",
        "data/ir_actions_server_data.xml",
        "data/ir_cron_data.xml",
        "wizard/crm_customer_report_wizard_views.xml",
        "views/crm_customer_report_views.xml",
        "data/ir_filters_data.xml",
        "views/crm_customer_dashboard_views.xml",
        "views/res_config_settings_views.xml",
        "views/crm_customer_reports_menus.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "crm_customer_template_reports/static/src/dashboard/**/*",
        ],
        "web.report_assets_common": [
            "crm_customer_template_reports/static/src/report/report.scss",
        ],
        "web.assets_tests": [
            "crm_customer_template_reports/static/tests/tours/**/*",
        ],
    },
    "uninstall_hook": "uninstall_hook",
    "installable": True,
}
