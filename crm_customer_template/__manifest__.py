# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Customer Management (客户管理)",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "summary": "Customers, follow-ups, needs and feedback for Chinese B2B practices / "
    "客户档案、跟进记录、需求分析与服务反馈",
    "description": """
Customer Management / 客户管理
==============================

Manage customers (companies with their Unified Social Credit Code, or
individuals), their follow-ups, needs and service feedback in one place:
daily-reset record codes, validated credit codes and phone numbers, a 360°
customer form with smart buttons, kanban by lifecycle state, chatter and
activities scheduled from follow-up plans.

统一管理客户档案（企业客户含统一社会信用代码校验，或个人客户）、跟进记录、
需求分析与服务反馈：按日重置的编号、信用代码与电话号码校验、带智能按钮的
客户 360° 视图、按客户状态分组的看板、沟通记录（Chatter）以及根据下次跟进
计划自动安排的活动。
""",
    "author": "crm_customer_template contributors",
    "website": "https://github.com/crm-customer-template/crm_customer_template",
    "license": "LGPL-3",
    "depends": [
        "base_setup",
        "mail",
        "sales_team",
        "sequence_reset_period",
        "auto_backup",
        "base_import",
    ],
    "data": [
        "security/crm_customer_security.xml",
        "security/ir.model.access.csv",
        "security/crm_customer_lifecycle_security.xml",
        "data/ir_sequence_data.xml",
        "data/mail_activity_type_data.xml",
        "data/crm_customer_source_data.xml",
        "data/crm_customer_followup_method_data.xml",
        "data/crm_customer_need_type_data.xml",
        "data/crm_customer_feedback_type_data.xml",
        "views/crm_customer_source_views.xml",
        "views/crm_customer_followup_method_views.xml",
        "views/crm_customer_need_type_views.xml",
        "views/crm_customer_feedback_type_views.xml",
        "views/crm_customer_tag_views.xml",
        "views/crm_customer_followup_views.xml",
        "views/crm_customer_need_views.xml",
        "views/crm_customer_feedback_views.xml",
        "views/crm_customer_views.xml",
        "wizard/crm_customer_reveal_views.xml",
        "wizard/crm_customer_erase_views.xml",
        "views/crm_customer_access_views.xml",
        "data/crm_customer_lost_reason_data.xml",
        "wizard/crm_customer_win_views.xml",
        "wizard/crm_customer_lose_views.xml",
        "views/crm_customer_lost_reason_views.xml",
        "views/crm_customer_ledger_views.xml",
        "views/crm_customer_lifecycle_views.xml",
        "data/crm_customer_server_actions.xml",
        "data/crm_customer_lifecycle_activity_data.xml",
        "data/ir_cron_lifecycle_data.xml",
        "wizard/crm_customer_assign_views.xml",
        "wizard/crm_customer_merge_views.xml",
        "views/crm_customer_pool_views.xml",
        "views/crm_customer_service_views.xml",
        "data/crm_customer_backup_data.xml",
        "views/crm_customer_backup_views.xml",
        "views/res_config_settings_views.xml",
        "security/crm_customer_import_security.xml",
        "data/crm_customer_import_data.xml",
        "views/crm_customer_import_batch_views.xml",
        "wizard/crm_customer_import_views.xml",
        "views/crm_customer_menus.xml",
    ],
    "demo": [
        "demo/crm_customer_demo.xml",
        "demo/crm_customer_lifecycle_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "crm_customer_template/static/tests/tours/**/*",
        ],
    },
    "application": True,
    "installable": True,
}
