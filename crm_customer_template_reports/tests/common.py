# Copyright 2026 crm_customer_template contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A small hand-built data set with known answers for the KPI service.

Times are UTC (as stored); users work in Asia/Shanghai (UTC+8). The period
under test is 2026-01-01 .. 2026-03-31 local, i.e. [2025-12-31 16:00,
2026-03-31 16:00) UTC.

customer owner created (UTC)          notes
c1       A     2026-01-10 02:00       intent 01-20, won 02-10 04:00
c2       A     2026-02-15 10:00       intent 02-20, lost 03-10 (price)
c3       B     2026-03-31 15:59:59    last second of the period (local)
c4       B     2026-03-31 16:00       first second after the period
c5       A     2025-12-31 16:00       first second of the period; intent 01-05,
                                      won 01-25, lost 03-15 (competitor)
c6       B     2025-06-01             active at the period start; intent 2025-08-01
c7       A     2025-05-01             lost 2025-11-15 (before the period)
c8       B     2025-12-31 15:00       last hour of the previous period
c9       B     2025-07-01             active at the period start, never followed
"""

from datetime import datetime

from freezegun import freeze_time

from odoo.tests import TransactionCase, new_test_user
from odoo.tools import SQL

PERIOD = {"preset": "custom", "date_from": "2026-01-01", "date_to": "2026-03-31"}


def dt(text):
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S")


class CrmCustomerReportsCommon(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tz="Asia/Shanghai",
                                       mail_create_nolog=True, mail_notrack=True,
                                       tracking_disable=True))
        # with the export right, as Odoo's default user template gives it
        group_user = "crm_customer_template.group_crm_customer_user,base.group_allow_export"
        cls.user_sales_a = new_test_user(
            cls.env, login="rep_sales_a", name="Salesperson A 销售甲", groups=group_user,
            tz="Asia/Shanghai",
        )
        cls.user_sales_b = new_test_user(
            cls.env, login="rep_sales_b", name="Salesperson B 销售乙", groups=group_user,
            tz="Asia/Shanghai",
        )
        cls.user_manager = new_test_user(
            cls.env, login="rep_manager", name="Manager 经理",
            groups="crm_customer_template.group_crm_customer_manager,base.group_allow_export",
            tz="Asia/Shanghai",
        )
        ref = cls.env.ref
        cls.industry_it = ref("base.res_partner_industry_J")
        cls.industry_mfg = ref("base.res_partner_industry_C")
        cls.source_show = ref("crm_customer_template.crm_customer_source_trade_show")
        cls.source_web = ref("crm_customer_template.crm_customer_source_website")
        cls.m_phone = ref("crm_customer_template.crm_customer_followup_method_phone")
        cls.m_meeting = ref("crm_customer_template.crm_customer_followup_method_meeting")
        cls.m_wechat = ref("crm_customer_template.crm_customer_followup_method_wechat")
        cls.m_email = ref("crm_customer_template.crm_customer_followup_method_email")
        cls.need_type = ref("crm_customer_template.crm_customer_need_type_product")
        cls.fb_praise = ref("crm_customer_template.crm_customer_feedback_type_praise")
        cls.fb_complaint = ref("crm_customer_template.crm_customer_feedback_type_complaint")
        cls.fb_suggestion = ref("crm_customer_template.crm_customer_feedback_type_suggestion")
        cls.reason_price = ref("crm_customer_template.crm_customer_lost_reason_price")
        cls.reason_competitor = ref("crm_customer_template.crm_customer_lost_reason_competitor")
        cls.Kpi = cls.env["crm.customer.kpi"]
        cls._build_dataset()

    @classmethod
    def _build_dataset(cls):
        A, B = cls.user_sales_a, cls.user_sales_b
        spec = [
            # key, owner, created, grade, industry, source
            ("c1", A, "2026-01-10 02:00:00", "a", cls.industry_it, cls.source_show),
            ("c2", A, "2026-02-15 10:00:00", "b", cls.industry_it, cls.source_web),
            ("c3", B, "2026-03-31 15:59:59", "c", cls.industry_mfg, cls.source_show),
            ("c4", B, "2026-03-31 16:00:00", "c", cls.industry_mfg, cls.source_show),
            ("c5", A, "2025-12-31 16:00:00", "a", cls.industry_mfg, cls.source_web),
            ("c6", B, "2025-06-01 00:00:00", False, cls.industry_it, False),
            ("c7", A, "2025-05-01 00:00:00", "b", cls.industry_it, False),
            ("c8", B, "2025-12-31 15:00:00", "c", cls.industry_it, cls.source_show),
            ("c9", B, "2025-07-01 00:00:00", False, cls.industry_it, False),
        ]
        customers = cls.env["crm.customer"].create([
            {
                "name": f"测试客户 {key}",
                "customer_kind": "person",
                "industry_id": industry.id,
                "source_id": source.id if source else False,
                "grade": grade,
                "contact_name": f"联系人 {key}",
                "phone": f"1380000{index:04d}",
                "email": f"{key}@example.com",
                "user_id": owner.id,
            }
            for index, (key, owner, _c, grade, industry, source) in enumerate(spec)
        ])
        cls.c = {key: customer for (key, *_r), customer in zip(spec, customers, strict=True)}
        cls._set_dates("crm_customer", {
            cls.c[key].id: dt(created) for key, _o, created, *_r in spec
        })

        F = cls.env["crm.customer.followup"]
        fu = [
            # customer, user, date, method
            ("c1", A, "2026-01-10 10:00:00", cls.m_phone),     # 8 h after creation
            ("c1", A, "2026-01-20 10:00:00", cls.m_meeting),   # gap 10 days
            ("c1", A, "2026-02-04 10:00:00", cls.m_phone),     # gap 15 days
            ("c2", A, "2026-02-17 10:00:00", cls.m_wechat),    # 48 h after creation
            ("c5", A, "2026-01-01 10:00:00", cls.m_phone),     # 18 h after creation
            ("c6", B, "2025-12-25 00:00:00", cls.m_email),     # previous period
            ("c6", B, "2026-01-04 00:00:00", cls.m_email),     # gap 10 days
        ]
        F.create([
            {"customer_id": cls.c[key].id, "user_id": user.id, "followup_date": dt(date),
             "method_id": method.id, "content": f"跟进 {key} {date}"}
            for key, user, date, method in fu
        ])

        N = cls.env["crm.customer.need"]
        needs = N.create([
            {"customer_id": cls.c["c1"].id, "need_type_id": cls.need_type.id,
             "description": "需求 1", "priority": "medium", "user_id": A.id},
            {"customer_id": cls.c["c2"].id, "need_type_id": cls.need_type.id,
             "description": "需求 2", "priority": "high", "user_id": A.id},
            {"customer_id": cls.c["c6"].id, "need_type_id": cls.need_type.id,
             "description": "需求 3", "priority": "medium", "user_id": B.id},
        ])
        needs[0].state = "done"
        needs[2].state = "done"
        cls._set_dates("crm_customer_need", {
            needs[0].id: dt("2026-01-12 00:00:00"),
            needs[1].id: dt("2026-02-20 00:00:00"),
            needs[2].id: dt("2026-03-01 00:00:00"),
        })
        cls._set_dates("crm_customer_need", {
            needs[0].id: dt("2026-01-14 00:00:00"),   # 2 days
            needs[2].id: dt("2026-03-02 00:00:00"),   # 1 day
        }, column="date_done")
        cls.needs = needs

        cls.env["crm.customer.feedback"].create([
            {"customer_id": cls.c["c1"].id, "feedback_type_id": cls.fb_praise.id,
             "description": "很好", "satisfaction": 5, "feedback_date": dt("2026-01-15 00:00:00")},
            {"customer_id": cls.c["c2"].id, "feedback_type_id": cls.fb_complaint.id,
             "description": "一般", "satisfaction": 3, "feedback_date": dt("2026-02-10 00:00:00")},
            {"customer_id": cls.c["c3"].id, "feedback_type_id": cls.fb_suggestion.id,
             "description": "未评分", "satisfaction": 0, "feedback_date": dt("2026-03-20 00:00:00")},
            {"customer_id": cls.c["c6"].id, "feedback_type_id": cls.fb_praise.id,
             "description": "不错", "satisfaction": 4, "feedback_date": dt("2026-03-05 00:00:00")},
            {"customer_id": cls.c["c6"].id, "feedback_type_id": cls.fb_complaint.id,
             "description": "差", "satisfaction": 1, "feedback_date": dt("2025-12-01 00:00:00")},
        ])

        # status moves, each at a known time (the ledger date is "now")
        moves = [
            ("2025-08-01 00:00:00", "c6", "intent", None),
            ("2025-11-15 00:00:00", "c7", "lost", cls.reason_price),
            ("2026-01-05 00:00:00", "c5", "intent", None),
            ("2026-01-20 00:00:00", "c1", "intent", None),
            ("2026-01-25 00:00:00", "c5", "won", None),
            ("2026-02-10 04:00:00", "c1", "won", None),
            ("2026-02-20 00:00:00", "c2", "intent", None),
            ("2026-03-10 00:00:00", "c2", "lost", cls.reason_price),
            ("2026-03-15 00:00:00", "c5", "lost", cls.reason_competitor),
        ]
        for when, key, target, reason in moves:
            with freeze_time(when):
                customer = cls.c[key]
                if target == "intent":
                    customer.action_set_intent()
                elif target == "won":
                    customer.action_set_won(f"HT-{key}", dt(when).date())
                else:
                    customer.action_set_lost(reason.id)
        cls.env.invalidate_all()

    @classmethod
    def _set_dates(cls, table, values, column="create_date"):
        cls.env.flush_all()
        for record_id, value in values.items():
            cls.env.cr.execute(SQL(
                "UPDATE %s SET %s = %s WHERE id = %s",
                SQL.identifier(table), SQL.identifier(column), value, record_id,
            ))
        cls.env.invalidate_all()
