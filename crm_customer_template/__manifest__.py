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

Customers (companies with a validated Unified Social Credit Code, or
individuals), follow-ups, needs and service feedback with daily-reset codes
(C/G/D/F + date + counter) and a 360° customer form; own / team / all access
scopes; contact data encrypted at rest, masked for whoever may not see it, with
a logged reveal, approval of key-information changes, an append-only operation
log and PIPL erasure; audited status transitions (potential → intent → won /
lost) with a ledger, a public customer pool, duplicate detection and merge,
lifecycle stages and service deadlines; Excel/CSV import with a dry run and a
per-row error report; daily backups proven by a restore check.

客户档案（企业客户校验统一社会信用代码，或个人客户）、跟进记录、需求分析与
服务反馈，编号按日重置（C/G/D/F + 日期 + 序号），客户 360° 视图；本人 / 团队 /
全部三级数据权限；联系方式加密存储、对无权限者脱敏显示，查看完整信息需填写
理由并记录日志，关键信息变更需审批，操作日志不可篡改，支持个人信息删除
（个人信息保护法）；客户状态流转（潜在 → 意向 → 成交 / 流失）全程留痕，客户
公海、查重与合并、生命周期阶段与服务时限；Excel/CSV 批量导入（试运行与逐行
错误报告）；每日自动备份并经恢复校验。
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
