#!/usr/bin/env python3
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Fill a crm_customer_template database with realistic customers, follow-ups,
needs and feedback, fast, through PostgreSQL COPY.

From Python (tests, shells)::

    generate(env, 200, followups_per_customer=5, seed=42)

From the command line (opens the registry itself and commits at the end)::

    python bench/generate.py -c odoo.conf -d crm_demo --customers 100000 --followups 5

or through ``setup/generate.sh N [DB]``, which also prepares the stack and the
database. Big loads (``--bulk``, automatic when the run at least doubles the
customers) drop the secondary indexes and foreign keys of the filled tables and
re-create them, identical, after the COPY.

What the rows look like, and why they are what the ORM would have written:

* Owners are salesperson users (``bench_sales_01`` …) of the add-on's
  Salesperson group, created through the ORM when missing, spread over three
  sales teams, time zone Asia/Shanghai. Every record is created and written by
  a salesperson, so the date of its code is the date of ``create_date`` in
  Asia/Shanghai, which is what ``fields.Date.context_today`` gives the ORM.
* Codes: C/G/D/F + yyyymmdd + counter, in ``create_date`` order, starting after
  the next number of the day's ``ir.sequence.date_range`` (and after any code
  of that day already in the table). Missing daily ranges are created, and
  existing ones advanced, the way ``ir.sequence.date_range`` does it (row with
  ``number_next`` + its PostgreSQL sequence ``ir_sequence_<seq>_<range>``
  started at that number), so that a later ``create`` through the ORM continues
  the counter and never reuses a code.
* Stored computed fields are computed here the way the model computes them:
  ``team_id`` = the owner's ``sale_team_id``, ``last_followup_date`` = the
  latest ``followup_date``, ``company_id`` of the children = the customer's
  company; a follow-up whose next plan is still pending has its scheduled
  ``mail.activity`` (``res_name`` read through the ORM). ``write_date`` and
  ``write_uid`` of a customer are those of its last follow-up, whose creation
  rewrote ``last_followup_date``.
* Not generated: chatter messages, followers, notifications and done
  activities (the history the ORM would have left in mail tables).

Sensitive contact columns (phone, email) are produced in one place,
:class:`SensitiveCustomerColumns`, which encrypts and hashes them with the
configured key exactly as the ORM does (``crm.customer.sensitive.mixin``).
"""

import argparse
import bisect
import io
import logging
import random
import sys
import time
from collections import Counter
from datetime import date, timedelta, timezone

import odoo
from odoo import SUPERUSER_ID, Command, api

_logger = logging.getLogger("crm_customer_template.bench.generate")

GEN_TZ = "Asia/Shanghai"  # time zone of the generated users (UTC+8, no DST)
TZ_OFFSET = 8 * 3600
EPOCH = date(1970, 1, 1)
COPY_CHUNK = 20000
MODULE = "crm_customer_template"

# --------------------------------------------------------------------------
# Reference data
# --------------------------------------------------------------------------

# (province xmlid suffix, city, district admin code, landline area code, districts, weight)
CITIES = [
    ("SH", "上海市", "310115", "021", ("浦东新区", "徐汇区", "闵行区", "静安区"), 12),
    ("BJ", "北京市", "110105", "010", ("朝阳区", "海淀区", "东城区", "丰台区"), 11),
    ("GD", "深圳市", "440305", "0755", ("南山区", "福田区", "宝安区", "龙岗区"), 10),
    ("GD", "广州市", "440106", "020", ("天河区", "越秀区", "番禺区", "黄埔区"), 9),
    ("ZJ", "杭州市", "330106", "0571", ("西湖区", "滨江区", "余杭区", "拱墅区"), 8),
    ("JS", "苏州市", "320505", "0512", ("虎丘区", "吴中区", "姑苏区", "相城区"), 7),
    ("JS", "南京市", "320106", "025", ("鼓楼区", "江宁区", "玄武区", "建邺区"), 6),
    ("SC", "成都市", "510107", "028", ("武侯区", "锦江区", "成华区", "青羊区"), 6),
    ("HB", "武汉市", "420106", "027", ("武昌区", "洪山区", "江汉区", "江岸区"), 5),
    ("ZJ", "宁波市", "330212", "0574", ("鄞州区", "海曙区", "江北区"), 4),
    ("SN", "西安市", "610113", "029", ("雁塔区", "碑林区", "未央区"), 4),
    ("HN", "长沙市", "430104", "0731", ("岳麓区", "天心区", "开福区"), 4),
    ("TJ", "天津市", "120101", "022", ("和平区", "南开区", "河西区"), 4),
    ("CQ", "重庆市", "500103", "023", ("渝中区", "江北区", "南岸区"), 4),
    ("SD", "青岛市", "370202", "0532", ("市南区", "崂山区", "李沧区"), 3),
    ("SD", "济南市", "370102", "0531", ("历下区", "槐荫区", "历城区"), 3),
    ("FJ", "厦门市", "350203", "0592", ("思明区", "湖里区", "集美区"), 3),
    ("FJ", "福州市", "350102", "0591", ("鼓楼区", "台江区", "仓山区"), 3),
    ("HA", "郑州市", "410105", "0371", ("金水区", "二七区", "中原区"), 3),
    ("AH", "合肥市", "340104", "0551", ("蜀山区", "包河区", "庐阳区"), 3),
]
ROADS = (
    "人民路", "解放路", "中山路", "建设路", "文三路", "科技园路", "长江路", "黄河路", "新华路",
    "和平路", "东风路", "滨江大道", "世纪大道", "创业路", "工业园路", "学院路", "光明路", "南京路",
)
SURNAMES = (
    ("王", 72), ("李", 71), ("张", 68), ("刘", 55), ("陈", 45), ("杨", 31), ("黄", 24), ("赵", 22),
    ("吴", 21), ("周", 21), ("徐", 15), ("孙", 15), ("马", 12), ("朱", 12), ("胡", 11), ("郭", 11),
    ("何", 10), ("高", 10), ("林", 10), ("罗", 9), ("郑", 9), ("梁", 8), ("谢", 7), ("宋", 6),
    ("唐", 6), ("许", 6), ("韩", 6), ("冯", 5), ("邓", 5), ("曹", 5), ("彭", 5), ("曾", 5),
    ("肖", 4), ("田", 4), ("董", 4), ("袁", 4), ("潘", 3), ("于", 3), ("蒋", 3), ("蔡", 3),
    ("欧阳", 1), ("司马", 1),
)
GIVEN_M = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林阳晨峰建国志文博"
GIVEN_F = "芳娜敏静丽艳娟霞秀燕玲桂丹萍红琳雪婷颖慧佳莉倩晶欣怡悦琪璐蕾薇梅月"
BRAND = "华信达恒瑞金宏鑫源泰丰盛博远嘉诚创新锦智汇德安永通明天中海正润世邦科联合隆兴晟睿"
COMPANY_SUFFIX = (("有限公司", 60), ("股份有限公司", 15), ("有限责任公司", 15), ("集团有限公司", 5),
                  ("科技有限公司", 5))
INDUSTRY_WORD = {
    "A": ("农业", "生态农业", "种业"), "B": ("矿业", "能源开发"), "C": ("制造", "机械", "精密仪器", "电子"),
    "D": ("电力", "新能源", "燃气"), "E": ("环保", "水务"), "F": ("建设工程", "建筑", "装饰工程"),
    "G": ("贸易", "商贸", "供应链"), "H": ("物流", "运输", "货运代理"), "I": ("餐饮管理", "酒店管理"),
    "J": ("信息技术", "软件", "网络科技", "通信"), "K": ("投资管理", "融资租赁"), "L": ("房地产开发", "物业管理"),
    "M": ("技术服务", "检测", "设计咨询"), "N": ("人力资源", "企业管理咨询"), "O": ("公共服务",),
    "P": ("教育科技", "培训"), "Q": ("医疗器械", "健康管理", "医药"), "R": ("文化传媒", "体育发展"),
    "S": ("商务服务", "家政服务"), "T": ("家庭服务",), "U": ("国际合作",),
}
MOBILE_PREFIXES = (
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152",
    "153", "155", "156", "157", "158", "159", "166", "173", "175", "176", "177", "178", "180",
    "181", "182", "183", "184", "185", "186", "187", "188", "189", "191", "198", "199",
)
EMAIL_NAMES = ("info", "sales", "contact", "service", "market", "admin", "office", "hr", "support")
PRODUCTS = ("ERP 系统", "CRM 系统", "云服务器", "数据中台", "智能仓储", "工业传感器", "安防监控",
            "办公自动化", "财务软件", "定制开发", "运维服务", "培训服务", "物联网网关", "电子签章")
CONTACTS = ("总经理", "采购经理", "技术总监", "财务负责人", "IT 主管", "行政主管", "董事长", "项目经理")
TOPICS = ("产品报价", "合同条款", "实施方案", "付款方式", "交付周期", "售后服务", "试用安排",
          "技术对接", "年度框架协议", "续约事宜")
REACTIONS = ("比较感兴趣，需内部讨论", "对价格有顾虑", "希望提供成功案例", "认可方案，准备立项",
             "暂无预算，下季度再议", "要求补充技术资料", "表示满意，推进签约", "需要与竞品比较")
MATERIALS = ("产品手册", "报价单", "解决方案 PPT", "合同草案", "演示视频", "客户案例")
ACTIONS = ("演示了系统核心功能", "参观了客户生产线", "与技术团队开了对接会", "沟通了实施计划",
           "讨论了定制需求")
PLANS = ("发送正式报价单", "安排技术人员上门演示", "邀请客户参观公司", "跟进合同审批进度",
         "回访产品试用情况", "准备投标文件", "确认付款计划", "提交定制方案")
METHOD_TEMPLATES = {
    "phone": ("电话联系{contact}，沟通{topic}，客户{reaction}。",
              "电话回访{contact}，了解{product}使用情况，客户{reaction}。"),
    "meeting": ("上门拜访{contact}，{action}，双方就{topic}达成初步共识。\n客户{reaction}。",
                "在公司接待客户{contact}，{action}，重点讨论{topic}。"),
    "email": ("邮件发送{material}给{contact}，说明{topic}，客户{reaction}。",),
    "wechat": ("微信联系{contact}，发送{material}，客户{reaction}。",
               "微信沟通{topic}，{contact}{reaction}。"),
    "other": ("在展会上与{contact}交流{product}，客户{reaction}。",),
}
NEED_TEMPLATES = {
    "product": ("咨询{product}的功能与报价，希望了解{topic}。", "希望对比{product}两个版本的差异。"),
    "support": ("{product}使用中出现问题，需要技术支持：{topic}。", "请求协助{product}与现有系统的数据对接。"),
    "custom": ("希望定制{product}，满足其{topic}方面的特殊要求。", "提出合作定制需求：基于{product}开发行业方案。"),
}
SOLUTIONS = ("安排售前工程师提供演示并出具方案。", "远程排查后已给出修复补丁。", "提供定制开发评估与报价。",
             "发送产品对比文档并电话讲解。", "由实施顾问上门协助配置。")
FEEDBACK_TEMPLATES = {
    "complaint": ("{product}交付延期，客户对进度不满。", "售后响应慢，问题两天未解决。",
                  "发票信息有误，要求重新开具。"),
    "suggestion": ("建议{product}增加移动端功能。", "希望提供更详细的操作培训。", "建议优化报表导出速度。"),
    "praise": ("实施团队专业负责，项目按期上线。", "客服响应及时，问题当天解决。", "{product}运行稳定，效果超出预期。"),
}
PROCESSES = ("已联系客户核实情况并记录。", "转交技术部处理，负责人已跟进。", "与客户电话沟通，确认处理方案。")
RESULTS = ("问题已解决，客户确认。", "已给出补偿方案，客户接受。", "已纳入产品改进计划。", "已致电感谢客户。")

DICTIONARY_WEIGHTS = {
    "followup_method": {"phone": 40, "wechat": 30, "meeting": 15, "email": 10, "other": 5},
    "source": {"trade_show": 20, "online_ads": 25, "referral": 20, "website": 15, "telemarketing": 12,
               "other": 8},
    "need_type": {"product": 50, "support": 35, "custom": 15},
    "feedback_type": {"complaint": 25, "suggestion": 40, "praise": 35},
}
TEAM_NAMES = ("华东销售部", "华南销售部", "华北销售部")

# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------

_COPY_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def esc(value):
    """A value in PostgreSQL COPY text format (None is NULL)."""
    if value is None or value is False:
        return "\\N"
    return str(value).translate(_COPY_ESCAPE)


class Stamp:
    """Fast 'YYYY-MM-DD HH:MM:SS' (UTC) from epoch seconds, with a per-day cache."""

    def __init__(self):
        self._days = {}

    def __call__(self, ts):
        day, sec = divmod(ts, 86400)
        prefix = self._days.get(day)
        if prefix is None:
            prefix = self._days[day] = (EPOCH + timedelta(days=day)).isoformat()
        hour, rest = divmod(sec, 3600)
        minute, second = divmod(rest, 60)
        return f"{prefix} {hour:02d}:{minute:02d}:{second:02d}"


def local_day(ts):
    """Day number (days since 1970-01-01) of ``ts`` in Asia/Shanghai."""
    return (ts + TZ_OFFSET) // 86400


def cum_weights(weights):
    total, out = 0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


def pick(rng, items, cum):
    return items[bisect.bisect(cum, rng.random() * cum[-1])]


def working_second(rng):
    """Local second of the day of an office event (mostly 8:30-18:30)."""
    if rng.random() < 0.9:
        return int(rng.triangular(30600, 66600, 40000))
    return rng.randint(25200, 79200)


# --------------------------------------------------------------------------
# Identifiers: credit codes, phones, names
# --------------------------------------------------------------------------

CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_VALUE = {c: i for i, c in enumerate(CREDIT_CHARSET)}
ORG_VALUE = {c: (int(c) if c.isdigit() else ord(c) - 55) for c in CREDIT_CHARSET}
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def org_code_check(body8):
    """GB 11714 check character of an 8-character organisation code body."""
    total = sum(ORG_VALUE[c] * w for c, w in zip(body8, ORG_WEIGHTS))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def credit_code(prefix2, admin6, body8):
    """A GB 32100-2015 unified social credit code (organisation code and code check digits valid)."""
    code17 = prefix2 + admin6 + body8 + org_code_check(body8)
    total = sum(CREDIT_VALUE[c] * w for c, w in zip(code17, CREDIT_WEIGHTS))
    return code17 + CREDIT_CHARSET[(31 - total % 31) % 31]


class CreditCodes:
    """Unique credit codes: 'MA' + 6 base-31 characters (post-2015 style) or 8 digits
    (converted organisation codes), from a full-period walk so no two draws collide;
    codes already in the database are skipped."""

    NEW_SPACE = 31**6
    OLD_SPACE = 10**8

    def __init__(self, rng, existing):
        self.existing = existing
        self.new_pos = rng.randrange(self.NEW_SPACE)
        self.old_pos = rng.randrange(self.OLD_SPACE)
        self.new_step = 7919 * 31 + 1  # not a multiple of 31 → full period
        self.old_step = 7_654_321  # odd, not a multiple of 5 → full period

    def draw(self, rng, admin6):
        while True:
            if rng.random() < 0.7:
                self.new_pos = (self.new_pos + self.new_step) % self.NEW_SPACE
                n, chars = self.new_pos, []
                for _i in range(6):
                    n, r = divmod(n, 31)
                    chars.append(CREDIT_CHARSET[r])
                body = "MA" + "".join(chars)
            else:
                self.old_pos = (self.old_pos + self.old_step) % self.OLD_SPACE
                body = f"{self.old_pos:08d}"
            code = credit_code("91", admin6, body)
            if code not in self.existing:
                self.existing.add(code)
                return code


def mobile(rng):
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def landline(rng, area):
    first = rng.randint(2, 8)
    digits = 8 if len(area) == 3 or rng.random() < 0.85 else 7
    return area + str(first) + f"{rng.randrange(10 ** (digits - 1)):0{digits - 1}d}"


SURNAME_LIST = [s for s, _w in SURNAMES]
SURNAME_CUM = cum_weights([w for _s, w in SURNAMES])


def person_name(rng, gender=None):
    gender = gender or ("male" if rng.random() < 0.55 else "female")
    chars = GIVEN_M if gender == "male" else GIVEN_F
    given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.7 else "")
    return pick(rng, SURNAME_LIST, SURNAME_CUM) + given, gender


class SensitiveCustomerColumns:
    """THE one place that turns a customer's contact data into column values.

    ``columns`` names the crm_customer columns written, ``values(phone, email)``
    returns their COPY-escaped values in that order. The phone is stored as the
    ORM stores it (``crm.customer.sensitive.mixin``): normalised, encrypted with
    the configured key into ``phone_encrypted`` and hashed with the keyed HMAC
    into ``phone_hash`` (the email likewise); no clear value reaches the table.
    """

    columns = ("phone_encrypted", "phone_hash", "email_encrypted", "email_hash")

    def __init__(self, env):
        self.env = env
        self.model = env["crm.customer"]
        # refuses a missing key, or a key that is not the one of this database
        self.model._sensitive_check_fingerprint()

    def values(self, phone, email):
        phone_token, phone_digest = self.model._sensitive_prepare_values("phone", phone)
        email_token, email_digest = self.model._sensitive_prepare_values("email", email)
        return (
            esc(phone_token or None), esc(phone_digest or None),
            esc(email_token or None), esc(email_digest or None),
        )


# --------------------------------------------------------------------------
# Database helpers
# --------------------------------------------------------------------------


COPY_SECONDS = {}


def copy_rows(cr, table, columns, lines):
    """COPY ``lines`` (already tab-separated, escaped) into ``table``."""
    if not lines:
        return
    t0 = time.perf_counter()
    buf = io.BytesIO(("\n".join(lines) + "\n").encode())
    cr.copy_expert(f'COPY "{table}" ({", ".join(columns)}) FROM STDIN', buf)
    COPY_SECONDS[table] = COPY_SECONDS.get(table, 0.0) + time.perf_counter() - t0


def reserve_ids(cr, table, count):
    """Reserve ``count`` consecutive ids of ``table``'s id sequence; return the first."""
    if not count:
        return 0
    cr.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
    seq = cr.fetchone()[0]
    cr.execute("SELECT nextval(%s)", [seq])
    first = cr.fetchone()[0]
    if count > 1:
        cr.execute("SELECT setval(%s, %s)", [seq, first + count - 1])
    return first


class BulkLoad:
    """For big loads: drop the secondary indexes and the foreign keys of the
    tables about to be filled, and re-create them, identical (same names, same
    definitions), afterwards. Building an index once and validating a foreign
    key with one join is much faster than maintaining them row by row. Primary
    keys and unique constraints stay in place. All of it runs in the caller's
    transaction: a failure rolls the drops back too."""

    def __init__(self, cr, tables, log):
        self.cr, self.log = cr, log
        self.indexes, self.fkeys = [], []
        cr.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cr.execute(
            """SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
                 FROM pg_index i
                WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)""",
            [list(tables)])
        self.indexes = cr.fetchall()
        cr.execute(
            """SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
                 FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])""",
            [list(tables)])
        self.fkeys = cr.fetchall()
        for table, name, _def in self.fkeys:
            cr.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _def in self.indexes:
            cr.execute(f"DROP INDEX {name}")
        log(f"bulk load: dropped {len(self.indexes)} indexes and {len(self.fkeys)} foreign keys")

    def restore(self):
        t0 = time.perf_counter()
        for _name, definition in self.indexes:
            self.cr.execute(definition)
        t1 = time.perf_counter()
        for table, name, definition in self.fkeys:
            self.cr.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        t2 = time.perf_counter()
        self.log(f"bulk load: re-created {len(self.indexes)} indexes in {t1 - t0:.1f}s, "
                 f"validated {len(self.fkeys)} foreign keys in {t2 - t1:.1f}s")
        return t1 - t0, t2 - t1


def xmlid_weights(env, model, prefix, weights):
    """Active records of a dictionary with the weights of their xml ids (1 for others)."""
    records = env[model].search([])
    xmlids = {}
    for rec_id, xid in records._get_external_ids().items():
        for full in xid:
            module, name = full.split(".", 1)
            if module == MODULE and name.startswith(prefix):
                xmlids[rec_id] = name[len(prefix):]
    items, ws, keys = [], [], []
    for rec in records:
        key = xmlids.get(rec.id, "")
        items.append(rec.id)
        keys.append(key)
        ws.append(weights.get(key, 1))
    if not items:
        raise RuntimeError(f"no {model} record: install {MODULE} with its data first")
    return items, keys, cum_weights(ws)


# --------------------------------------------------------------------------
# Owners
# --------------------------------------------------------------------------


def ensure_salespeople(env, count, rng):
    """The salesperson users ``bench_sales_01``… (Asia/Shanghai), created when
    missing through the ORM, members of up to three sales teams."""
    Users = env["res.users"].with_context(no_reset_password=True, tracking_disable=True,
                                         mail_create_nosubscribe=True)
    group = env.ref(f"{MODULE}.group_crm_customer_user")
    logins = [f"bench_sales_{i + 1:02d}" for i in range(count)]
    existing = Users.with_context(active_test=False).search([("login", "in", logins)])
    by_login = {u.login: u for u in existing}
    names = set()
    to_create = []
    name_rng = random.Random(rng.random())
    for login in logins:
        if login in by_login:
            continue
        while True:
            name, _g = person_name(name_rng)
            if name not in names:
                names.add(name)
                break
        to_create.append({
            "name": name,
            "login": login,
            "email": f"{login}@example.com",
            "tz": GEN_TZ,
            "groups_id": [Command.set([group.id, env.ref("base.group_user").id])],
        })
    if to_create:
        Users.create(to_create)
    users = Users.with_context(active_test=False).search([("login", "in", logins)], order="login")
    Team = env["crm.team"].with_context(tracking_disable=True, mail_create_nosubscribe=True)
    teams = Team.search([("name", "in", list(TEAM_NAMES))])
    missing = [n for n in TEAM_NAMES if n not in teams.mapped("name")]
    if missing:
        teams |= Team.create([{"name": n, "company_id": env.company.id} for n in missing])
    teams = teams.sorted(lambda t: TEAM_NAMES.index(t.name))
    no_team = users.filtered(lambda u: not u.sale_team_id)
    if no_team:
        env["crm.team.member"].create([
            {"crm_team_id": teams[i % len(teams)].id, "user_id": user.id}
            for i, user in enumerate(no_team)
        ])
    env.flush_all()
    return users


# --------------------------------------------------------------------------
# Codes and their daily sequence ranges
# --------------------------------------------------------------------------


class CodeCounter:
    """Codes of one model, exactly as ``ir.sequence._next`` would draw them day
    after day, and the date ranges that make later ORM draws continue.

    Ranges are read and written in batches of SQL, doing what
    ``ir.sequence.date_range.create`` / ``write({'number_next_actual': n})``
    do: a row with ``number_next`` and, for standard sequences, a PostgreSQL
    sequence ``ir_sequence_<seq>_<range>`` that starts (or restarts) at it.
    """

    def __init__(self, env, model_name, day_counts):
        Model = env[model_name]
        self.env = env
        self.sequence = seq = env["ir.sequence"].sudo().search(
            [("code", "=", Model._crm_code_sequence),
             ("company_id", "in", [env.company.id, False])],
            order="company_id", limit=1)
        if not seq:
            raise RuntimeError(f"no ir.sequence {Model._crm_code_sequence}")
        self.padding = seq.padding
        self.by_day = {}
        self._to_create, self._to_advance = [], []
        if not day_counts:
            return
        cr = env.cr
        days = sorted(day_counts)
        first, last = EPOCH + timedelta(days=days[0]), EPOCH + timedelta(days=days[-1])
        cr.execute("""SELECT id, date_from, date_to, number_next FROM ir_sequence_date_range
                       WHERE sequence_id = %s AND date_to >= %s AND date_from <= %s
                    ORDER BY date_from""", [seq.id, first, last])
        ranges = cr.fetchall()
        actual = {rid: number_next for rid, _f, _t, number_next in ranges}
        if seq.implementation == "standard" and ranges:
            # what _predict_nextval returns, for all ranges in one query
            names = [f"ir_sequence_{seq.id:03d}_{rid:03d}" for rid, *_r in ranges]
            cr.execute("SELECT relname FROM pg_class WHERE relkind = 'S' AND relname = ANY(%s)", [names])
            present = {r[0] for r in cr.fetchall()}
            parts = [
                f"SELECT {rid}, last_value + CASE WHEN is_called THEN {seq.number_increment} ELSE 0 END"
                f' FROM "{name}"'
                for (rid, *_r), name in zip(ranges, names) if name in present
            ]
            for start in range(0, len(parts), 500):
                cr.execute(" UNION ALL ".join(parts[start:start + 500]))
                actual.update(dict(cr.fetchall()))
        # state per range: [prefix, suffix, next counter, range id or None, (from, to)]
        states = []
        for rid, d_from, d_to, _n in ranges:
            prefix, suffix = seq.with_context(ir_sequence_date_range=d_from)._get_prefix_suffix()
            states.append([prefix, suffix, actual[rid], rid, (d_from, d_to)])
        new_states = []
        idx = 0
        for dn in days:
            day = EPOCH + timedelta(days=dn)
            state = None
            while idx < len(states) and states[idx][4][1] < day:
                idx += 1
            for cand in states[idx:idx + 2]:
                if cand[4][0] <= day <= cand[4][1]:
                    state = cand
                    break
            if state is None and new_states and new_states[-1][4][0] <= day <= new_states[-1][4][1]:
                state = new_states[-1]  # a multi-day range (weekly, monthly, yearly reset)
            if state is None:
                if getattr(seq, "range_reset", False):  # OCA sequence_reset_period
                    d_from, d_to = seq._compute_date_from_to(day)
                else:
                    d_from, d_to = date(day.year, 1, 1), date(day.year, 12, 31)
                prefix, suffix = seq.with_context(ir_sequence_date_range=d_from)._get_prefix_suffix()
                state = [prefix, suffix, 1, None, (d_from, d_to)]
                new_states.append(state)
            self.by_day[dn] = state
        all_states = states + new_states
        # never reuse a code already in the table (imported, or drawn from a dropped range)
        plen = {len(st[0]) for st in all_states}
        if len(plen) == 1:
            plen = plen.pop()
            cr.execute(
                f"""SELECT p.prefix, max(substr(t.code, %s + 1)::bigint)
                      FROM "{Model._table}" t JOIN unnest(%s::varchar[]) AS p(prefix)
                        ON left(t.code, %s) = p.prefix
                     WHERE substr(t.code, %s + 1) ~ '^[0-9]+$'
                  GROUP BY 1""",
                [plen, [st[0] for st in all_states], plen, plen])
            used = dict(cr.fetchall())
            for st in all_states:
                if st[0] in used and used[st[0]] >= st[2]:
                    st[2] = used[st[0]] + 1
        totals = Counter()
        for dn, n in day_counts.items():
            totals[id(self.by_day[dn])] += n
        self._to_create = [(st[4][0], st[4][1], st[2] + totals[id(st)]) for st in new_states]
        self._to_advance = [(st[3], st[2] + totals[id(st)]) for st in states if totals[id(st)]]

    def next(self, dn):
        state = self.by_day[dn]
        number = state[2]
        state[2] = number + 1
        return f"{state[0]}{number:0{self.padding}d}{state[1]}"

    def commit_ranges(self, uid):
        """Create the missing date ranges and advance the existing ones."""
        seq, cr = self.sequence, self.env.cr
        standard = seq.implementation == "standard"
        ddl = []
        for start in range(0, len(self._to_create), 1000):
            batch = self._to_create[start:start + 1000]
            cr.execute(
                """INSERT INTO ir_sequence_date_range
                        (sequence_id, date_from, date_to, number_next,
                         create_uid, create_date, write_uid, write_date)
                   SELECT %s, f, t, n, %s, now() AT TIME ZONE 'UTC', %s, now() AT TIME ZONE 'UTC'
                     FROM unnest(%s::date[], %s::date[], %s::int[]) AS v(f, t, n)
                RETURNING id, number_next""",
                [seq.id, uid, uid, [b[0] for b in batch], [b[1] for b in batch],
                 [b[2] for b in batch]])
            if standard:
                ddl += [f'CREATE SEQUENCE "ir_sequence_{seq.id:03d}_{rid:03d}" '
                        f"INCREMENT BY {int(seq.number_increment)} START WITH {int(n)}"
                        for rid, n in cr.fetchall()]
        if self._to_advance:
            cr.execute(
                """UPDATE ir_sequence_date_range r SET number_next = v.n, write_uid = %s,
                          write_date = now() AT TIME ZONE 'UTC'
                     FROM unnest(%s::int[], %s::int[]) AS v(id, n) WHERE r.id = v.id""",
                [uid, [a[0] for a in self._to_advance], [a[1] for a in self._to_advance]])
            if standard:
                ddl += [f'ALTER SEQUENCE "ir_sequence_{seq.id:03d}_{rid:03d}" RESTART WITH {int(n)}'
                        for rid, n in self._to_advance]
        for start in range(0, len(ddl), 500):
            cr.execute(";".join(ddl[start:start + 500]))
        self.env["ir.sequence.date_range"].invalidate_model()
        return len(self._to_create)


# --------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------


# Columns deliberately left NULL, as a create through the ORM without a value leaves them.
NULL_BY_DESIGN = {
    "crm.customer": {"color", "partner_id", "properties"},
    "crm.customer.followup": {"activity_id"},  # set afterwards for pending plans
}


def _check_columns(env, model_name, columns):
    """Every required stored field must be written; stored fields nobody fills are reported
    (fields added later to the models need a line here)."""
    model = env[model_name]
    stored = {name for name, f in model._fields.items() if f.store and f.column_type}
    required = {name for name, f in model._fields.items()
                if f.store and f.column_type and f.required}
    missing = required - set(columns) - {"id"}
    if missing:
        raise RuntimeError(f"generator does not fill required {model_name} fields: {sorted(missing)}")
    return sorted(stored - set(columns) - {"id"} - NULL_BY_DESIGN.get(model_name, set()))


def generate(env, customers, followups_per_customer=5, seed=42, needs_per_customer=0.5,
             feedback_per_customer=0.3, span_days=3 * 365, salespeople=20, chunk=COPY_CHUNK,
             bulk=None, log=None):
    """Generate ``customers`` customers with about ``followups_per_customer``
    follow-ups each (exactly ``round(customers * followups_per_customer)`` in
    total), needs and feedback, created over the last ``span_days`` days up to
    the transaction's ``now``. Rows go in through COPY on ``env.cr``; nothing
    is committed. Returns a dict of counts and timings.

    ``bulk`` (default: when the run adds more customers than there are, and at
    least 50,000) drops and re-creates the secondary indexes and foreign keys
    of the filled tables around the load (see :class:`BulkLoad`); it takes
    exclusive locks on those tables until the transaction ends.
    """
    # imported here: the add-ons path is known only once the configuration is read
    from odoo.addons.crm_customer_template.models.crm_customer_duplicate import (  # noqa: PLC0415
        normalize_customer_name,
    )

    log = log or _logger.info
    t_start = time.perf_counter()
    COPY_SECONDS.clear()
    timings = {}
    rng = random.Random(seed)
    cr = env.cr
    env = env(context=dict(env.context, tz=GEN_TZ, active_test=False))
    env.flush_all()
    company = env.company
    stamp = Stamp()

    n_cust = int(customers)
    n_fu = int(round(n_cust * followups_per_customer))
    n_need = int(round(n_cust * needs_per_customer))
    n_fb = int(round(n_cust * feedback_per_customer))
    if n_cust >= 1 << 24:
        raise ValueError("at most 16M customers per run")

    # -- reference data --------------------------------------------------------
    users = ensure_salespeople(env, salespeople, rng)
    user_ids = users.ids
    user_team = [u.sale_team_id.id or None for u in users]
    user_tz = [u.tz for u in users]
    owner_cum = cum_weights([1 / (i + 1) ** 0.6 for i in range(len(users))])
    owner_idx = list(range(len(users)))
    methods, method_keys, method_cum = xmlid_weights(
        env, "crm.customer.followup.method", "crm_customer_followup_method_",
        DICTIONARY_WEIGHTS["followup_method"])
    sources, _sk, source_cum = xmlid_weights(
        env, "crm.customer.source", "crm_customer_source_", DICTIONARY_WEIGHTS["source"])
    need_types, need_keys, need_cum = xmlid_weights(
        env, "crm.customer.need.type", "crm_customer_need_type_", DICTIONARY_WEIGHTS["need_type"])
    fb_types, fb_keys, fb_cum = xmlid_weights(
        env, "crm.customer.feedback.type", "crm_customer_feedback_type_",
        DICTIONARY_WEIGHTS["feedback_type"])
    industries = env["res.partner.industry"].search([])
    ind_ids = industries.ids
    ind_letter = {}
    for rec_id, xids in industries._get_external_ids().items():
        for xid in xids:
            if xid.startswith("base.res_partner_industry_"):
                ind_letter[rec_id] = xid.rsplit("_", 1)[1]
    ind_cum = cum_weights([{"C": 8, "G": 7, "J": 6, "F": 4, "M": 4, "H": 3, "K": 2, "L": 2, "Q": 2,
                            "I": 2, "N": 2, "P": 2, "R": 1}.get(ind_letter.get(i), 0.5)
                           for i in ind_ids])
    country = env.ref("base.cn")
    province = {}
    for suffix in {c[0] for c in CITIES}:
        rec = env.ref(f"base.state_cn_{suffix}", raise_if_not_found=False)
        province[suffix] = rec.id if rec else None
    city_cum = cum_weights([c[5] for c in CITIES])
    tag_field = env["crm.customer"]._fields["tag_ids"]
    tags = env["crm.customer.tag"].search([]).ids
    activity_type = env.ref(f"{MODULE}.mail_activity_type_crm_customer_followup")
    activity_note = activity_type.default_note or None
    customer_model_id = env["ir.model"]._get_id("crm.customer")
    cr.execute('SELECT credit_code FROM crm_customer WHERE company_id = %s AND credit_code IS NOT NULL',
               [company.id])
    credit = CreditCodes(rng, {r[0] for r in cr.fetchall()})
    timings["setup"] = time.perf_counter() - t_start

    # -- plan: creation times, owners, states -------------------------------------
    t0 = time.perf_counter()
    now_dt = cr.now().replace(microsecond=0)
    now_ts = int(now_dt.replace(tzinfo=timezone.utc).timestamp())
    start_ts = now_ts - int(span_days * 86400)
    today_dn = local_day(now_ts)
    if span_days >= 28:
        first_dn = local_day(start_ts)
        day_list = list(range(first_dn, today_dn + 1))
        span = max(1, len(day_list) - 1)
        weights = []
        for k, dn in enumerate(day_list):
            weekday = (EPOCH + timedelta(days=dn)).weekday()
            weights.append((0.35 + 0.65 * k / span) * (0.25 if weekday >= 5 else 1.0))
        day_cum = cum_weights(weights)

        def draw_ts():
            dn = day_list[bisect.bisect(day_cum, rng.random() * day_cum[-1])]
            ts = dn * 86400 + working_second(rng) - TZ_OFFSET
            if ts < start_ts or ts > now_ts:
                ts = rng.randint(start_ts, now_ts)
            return ts
    else:
        def draw_ts():
            return rng.randint(start_ts, now_ts)

    def office_time_between(c_ts):
        """A time between ``c_ts`` and now, in office hours when the span allows it,
        else shortly after ``c_ts`` (a customer created after hours)."""
        if span_days >= 28:
            first, last = local_day(c_ts), today_dn
            for _try in range(4):
                t = rng.randint(first, last) * 86400 + working_second(rng) - TZ_OFFSET
                if c_ts <= t <= now_ts:
                    return t
            return c_ts + rng.randint(0, min(now_ts - c_ts, 3600))
        return rng.randint(c_ts, now_ts)

    cust_ts = sorted(draw_ts() for _i in range(n_cust))
    cust_owner = [pick(rng, owner_idx, owner_cum) for _i in range(n_cust)]
    # state by age: older customers are more often decided (won/lost)
    cust_state = bytearray(n_cust)  # 0 potential, 1 intent, 2 won, 3 lost
    span_s = max(1, now_ts - start_ts)
    for i, ts in enumerate(cust_ts):
        age = (now_ts - ts) / span_s
        r = rng.random()
        p_won, p_lost = 0.06 + 0.22 * age, 0.04 + 0.14 * age
        cust_state[i] = 2 if r < p_won else 3 if r < p_won + p_lost else 1 if r < p_won + p_lost + 0.25 else 0

    # follow-ups: customer by weight (state), date after the customer's creation
    state_w = (0.6, 1.6, 1.5, 0.9)  # potential, intent, won, lost
    fu_cust_cum = cum_weights([state_w[cust_state[i]] for i in range(n_cust)])
    cust_last = [0] * n_cust  # last followup_date
    cust_wts = list(cust_ts)  # write_date
    cust_wuid = list(cust_owner)  # write_uid (index into users)
    fu_keys = []
    n_users = len(users)
    total_w = fu_cust_cum[-1] if n_cust else 0
    def draw_customer():
        ci = bisect.bisect(fu_cust_cum, rng.random() * total_w)
        return ci if ci < n_cust else n_cust - 1

    def event_after(draw, mean_days, long_share=0.3):
        """(customer index, time) of an event after the customer's creation: mostly
        ~ Exp(mean_days) after it (the active phase), else (``long_share``) any time
        up to now (the long relationship); in office hours, fewer at weekends.
        Draws falling after now are redrawn with another customer, so recent
        customers have fewer events. Over short spans (smoke tests): any time
        between creation and now."""
        if span_days < 28:
            ci = draw()
            return ci, rng.randint(cust_ts[ci], now_ts)
        for _try in range(30):
            ci = draw()
            c_ts = cust_ts[ci]
            if rng.random() < long_share:
                t = rng.randint(c_ts, now_ts)
            else:
                t = c_ts + int(rng.expovariate(1 / mean_days) * 86400)
                if t > now_ts:
                    continue
            dn = (t + TZ_OFFSET) // 86400
            if (dn + 3) % 7 >= 5 and rng.random() < 0.75:  # 1970-01-01 was a Thursday
                continue
            t = dn * 86400 + working_second(rng) - TZ_OFFSET
            if c_ts <= t <= now_ts:
                return ci, t
        return ci, office_time_between(c_ts)

    for _k in range(n_fu):
        ci, t = event_after(draw_customer, 30.0)
        delay = 0 if rng.random() < 0.6 else rng.randint(60, 7200)
        ct = min(t + delay, now_ts)
        delay = ct - t
        uidx = cust_owner[ci] if rng.random() < 0.9 else rng.randrange(n_users)
        fu_keys.append((((ct << 13 | delay) << 6 | uidx) << 24) | ci)
        if t > cust_last[ci]:
            cust_last[ci] = t
        if ct >= cust_wts[ci]:
            cust_wts[ci] = ct
            cust_wuid[ci] = uidx
    fu_keys.sort()

    def child_keys(count, mean_days, owner_share):
        keys = []
        def draw():
            return int(rng.random() * n_cust)

        for _k in range(count):
            ci, t = event_after(draw, mean_days)
            delay = 0 if rng.random() < 0.7 else rng.randint(60, 7200)
            ct = min(t + delay, now_ts)
            delay = ct - t
            uidx = cust_owner[ci] if rng.random() < owner_share else rng.randrange(n_users)
            keys.append((((ct << 13 | delay) << 6 | uidx) << 24) | ci)
        keys.sort()
        return keys

    need_keys_plan = child_keys(n_need, 60.0, 0.85) if n_cust else []
    fb_keys_plan = child_keys(n_fb, 180.0, 0.8) if n_cust else []
    timings["plan"] = time.perf_counter() - t0

    # -- codes -------------------------------------------------------------------
    t0 = time.perf_counter()

    def days_of(keys):
        return Counter(local_day(k >> 43) for k in keys)

    counters = {
        "crm.customer": CodeCounter(env, "crm.customer", Counter(local_day(t) for t in cust_ts)),
        "crm.customer.followup": CodeCounter(env, "crm.customer.followup", days_of(fu_keys)),
        "crm.customer.need": CodeCounter(env, "crm.customer.need", days_of(need_keys_plan)),
        "crm.customer.feedback": CodeCounter(env, "crm.customer.feedback", days_of(fb_keys_plan)),
    }
    timings["codes"] = time.perf_counter() - t0

    # -- bulk mode ----------------------------------------------------------------
    t0 = time.perf_counter()
    tables = ("crm_customer", "crm_customer_followup", "crm_customer_need",
              "crm_customer_feedback", tag_field.relation)
    if bulk is None:
        cr.execute("SELECT reltuples FROM pg_class WHERE oid = 'crm_customer'::regclass")
        existing = max(0, cr.fetchone()[0])
        bulk = n_cust >= 50000 and n_cust > existing
    loader = BulkLoad(cr, tables, log) if bulk else None
    timings["bulk_drop"] = time.perf_counter() - t0

    # -- customers ------------------------------------------------------------------
    t0 = time.perf_counter()
    sensitive = SensitiveCustomerColumns(env)
    cust_cols = ("id", "code", "name", "customer_kind", "credit_code", "state", "industry_id",
                 "grade", "source_id", "contact_name") + sensitive.columns + (
                 "user_id", "team_id", "company_id", "country_id", "state_id", "city", "street",
                 "gender", "birth_date", "employee_count", "annual_revenue", "product_interest",
                 "note", "active", "last_followup_date", "create_uid", "create_date", "write_uid",
                 "write_date", "name_normalized", "owner_since", "pool_id")
    skipped = {"crm.customer": _check_columns(env, "crm.customer", cust_cols)}
    # the public pool the ORM gives a new customer: its team's pool, else the company's default
    pools = env["crm.customer.pool"].sudo().search([("company_id", "=", company.id)])
    pool_by_team = {pool.team_id.id: pool.id for pool in pools if pool.team_id}
    default_pool = next((pool.id for pool in pools if not pool.team_id), None)
    first_cust = reserve_ids(cr, "crm_customer", n_cust)
    states = ("potential", "intent", "won", "lost")
    grade_items, grade_cum = ("a", "b", "c", None), cum_weights((15, 35, 35, 15))
    counter = counters["crm.customer"]
    company_id, country_id = company.id, country.id
    random_ = rng.random
    streets = {c[1]: [f"{c[1][:-1]}{rng.choice(c[4])}{rng.choice(ROADS)}{rng.randint(1, 999)}号"
                      for _j in range(400)] for c in CITIES}
    domains = ["".join(rng.choice("abcdefghjkmnpqrstwxyz") for _j in range(rng.randint(3, 6)))
               + f"{rng.randint(1, 99)}.com.cn" for _k in range(2000)]
    product_pool = ["、".join(rng.sample(PRODUCTS, rng.randint(1, 3))) for _k in range(300)]
    suffix_items = [sfx for sfx, _w in COMPANY_SUFFIX]
    suffix_cum = cum_weights([w for _sfx, w in COMPANY_SUFFIX])
    tag_rows = []
    lines = []
    for i in range(n_cust):
        ts = cust_ts[i]
        oidx = cust_owner[i]
        uid = user_ids[oidx]
        city = CITIES[bisect.bisect(city_cum, rng.random() * city_cum[-1])]
        ind = ind_ids[bisect.bisect(ind_cum, rng.random() * ind_cum[-1])]
        contact, gender = person_name(rng)
        age_days = (now_ts - ts) // 86400
        street = streets[city[1]][int(random_() * 400)]
        if rng.random() < 0.8:
            kind = "company"
            words = INDUSTRY_WORD.get(ind_letter.get(ind), ("商贸",))
            suffix = pick(rng, suffix_items, suffix_cum)
            name = f"{city[1][:-1]}{rng.choice(BRAND)}{rng.choice(BRAND)}{rng.choice(words)}{suffix}"
            code18 = credit.draw(rng, city[2]) if rng.random() < 0.9 else None
            phone = landline(rng, city[3]) if rng.random() < 0.35 else mobile(rng)
            email = (f"{EMAIL_NAMES[int(random_() * len(EMAIL_NAMES))]}@"
                     f"{domains[int(random_() * 2000)]}") if random_() < 0.6 else None
            employees = max(1, int(rng.lognormvariate(3.5, 1.3)))
            revenue = round(employees * rng.uniform(0.15, 1.2) * 1_000_000, -3)
            gender_v = birth = None
        else:
            kind = "person"
            name = contact
            code18 = None
            phone = mobile(rng)
            email = f"{rng.randint(10**7, 10**10)}@qq.com" if rng.random() < 0.4 else None
            employees = revenue = None
            gender_v = gender
            birth = f"{rng.randint(1960, 2002)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        state = cust_state[i]
        grade = pick(rng, grade_items, grade_cum)
        if state == 2 and grade == "c" and rng.random() < 0.6:
            grade = "a" if rng.random() < 0.4 else "b"
        products = product_pool[int(random_() * 300)] if random_() < 0.7 else None
        note = (f"<p>{rng.choice(REACTIONS)}</p>" if rng.random() < 0.1 else None)
        active = "f" if state == 3 and age_days > 365 and rng.random() < 0.15 else "t"
        last = cust_last[i]
        row = (
            str(first_cust + i), counter.next(local_day(ts)), name, kind, esc(code18), states[state],
            str(ind), esc(grade), str(pick(rng, sources, source_cum)), contact,
        ) + sensitive.values(phone, email) + (
            str(uid), esc(user_team[oidx]), str(company_id), str(country_id),
            esc(province[city[0]]), city[1], street, esc(gender_v), esc(birth), esc(employees),
            esc(revenue), esc(products), esc(note), active, stamp(last) if last else "\\N",
            str(uid), stamp(ts), str(user_ids[cust_wuid[i]]), stamp(cust_wts[i]),
            esc(normalize_customer_name(name)), stamp(ts),
            esc(pool_by_team.get(user_team[oidx]) or default_pool),
        )
        lines.append("\t".join(row))
        if tags and rng.random() < 0.3:
            for tag in rng.sample(tags, min(len(tags), rng.randint(1, 2))):
                tag_rows.append(f"{first_cust + i}\t{tag}")
        if len(lines) >= chunk:
            copy_rows(cr, "crm_customer", cust_cols, lines)
            lines = []
    copy_rows(cr, "crm_customer", cust_cols, lines)
    if tag_rows:
        copy_rows(cr, tag_field.relation, (tag_field.column1, tag_field.column2), tag_rows)
    timings["customers"] = time.perf_counter() - t0
    log(f"customers: {n_cust} in {timings['customers']:.1f}s")

    # -- follow-ups -------------------------------------------------------------------
    t0 = time.perf_counter()
    fu_cols = ("id", "code", "customer_id", "followup_date", "method_id", "content", "next_plan",
               "next_date", "user_id", "company_id", "create_uid", "create_date", "write_uid",
               "write_date", "logged_date", "is_late", "entry_compliance")
    late_after = env["res.config.settings"]._crm_customer_param("followup_entry_hours") * 3600
    skipped["crm.customer.followup"] = _check_columns(env, "crm.customer.followup", fu_cols)
    first_fu = reserve_ids(cr, "crm_customer_followup", n_fu)
    counter = counters["crm.customer.followup"]
    mask24, mask6, mask13 = (1 << 24) - 1, 63, (1 << 13) - 1
    open_activities = []  # (followup id, customer index, deadline, summary, create ts, creator uid)
    # pre-rendered (and COPY-escaped) texts: one draw per row instead of seven
    content_pool = []
    for mkey in method_keys:
        templates = METHOD_TEMPLATES.get(mkey, METHOD_TEMPLATES["other"])
        content_pool.append([esc(rng.choice(templates).format(
            contact=rng.choice(CONTACTS), topic=rng.choice(TOPICS), reaction=rng.choice(REACTIONS),
            product=rng.choice(PRODUCTS), material=rng.choice(MATERIALS),
            action=rng.choice(ACTIONS))) for _j in range(500)])
    plan_pool = []
    for _j in range(200):
        plan = rng.choice(PLANS)
        if rng.random() < 0.3:
            plan += "\n" + rng.choice(TOPICS) + "需提前准备材料。"
        plan_pool.append((esc(plan), plan.splitlines()[0][:250]))
    day_iso = {}
    random_ = rng.random
    method_total = method_cum[-1]
    str_company = str(company_id)
    str_users = [str(u) for u in user_ids]
    lines = []
    for k, key in enumerate(fu_keys):
        ci = key & mask24
        uidx = (key >> 24) & mask6
        delay = (key >> 30) & mask13
        ct = key >> 43
        t = ct - delay
        m_i = bisect.bisect(method_cum, random_() * method_total)
        pool = content_pool[m_i]
        content = pool[int(random_() * len(pool))]
        if random_() < 0.6:
            plan, summary = plan_pool[int(random_() * 200)]
            fdn = (t + TZ_OFFSET) // 86400
            if random_() < 0.8:
                next_dn = fdn + 1 + int(random_() * 14)
                next_date = day_iso.get(next_dn)
                if next_date is None:
                    next_date = day_iso[next_dn] = (EPOCH + timedelta(days=next_dn)).isoformat()
            else:
                next_dn, next_date = fdn + 1, "\\N"
            if next_dn >= today_dn or (next_dn >= today_dn - 30 and t == cust_last[ci]):
                open_activities.append((first_fu + k, ci, next_dn, summary, ct, user_ids[uidx]))
        else:
            plan = next_date = "\\N"
        suid = str_users[uidx]
        sct = stamp(ct)
        lines.append("\t".join((
            str(first_fu + k), counter.next((ct + TZ_OFFSET) // 86400), str(first_cust + ci),
            stamp(t) if delay else sct, str(methods[m_i]), content, plan, next_date, suid,
            str_company, suid, sct, suid, sct,
            sct, "t" if delay > late_after else "f", "0" if delay > late_after else "100",
        )))
        if len(lines) >= chunk:
            copy_rows(cr, "crm_customer_followup", fu_cols, lines)
            lines = []
    copy_rows(cr, "crm_customer_followup", fu_cols, lines)
    del fu_keys
    timings["followups"] = time.perf_counter() - t0
    log(f"follow-ups: {n_fu} in {timings['followups']:.1f}s")

    # -- scheduled activities of pending next plans --------------------------------------
    t0 = time.perf_counter()
    n_act = len(open_activities)
    if n_act:
        act_cols = ("id", "res_model_id", "res_model", "res_id", "res_name", "activity_type_id",
                    "summary", "note", "date_deadline", "automated", "user_id", "user_tz", "active",
                    "create_uid", "create_date", "write_uid", "write_date")
        first_act = reserve_ids(cr, "mail_activity", n_act)
        cust_ids = sorted({first_cust + a[1] for a in open_activities})
        env.invalidate_all()
        names = {}
        Customer = env["crm.customer"].sudo()
        for start in range(0, len(cust_ids), 1000):
            for rec in Customer.browse(cust_ids[start:start + 1000]):
                names[rec.id] = rec.display_name
        lines, links = [], []
        for j, (fid, ci, next_dn, summary, ct, uid) in enumerate(open_activities):
            aid = first_act + j
            owner = cust_owner[ci]
            lines.append("\t".join((
                str(aid), str(customer_model_id), "crm.customer", str(first_cust + ci),
                esc(names[first_cust + ci]), str(activity_type.id), esc(summary), esc(activity_note),
                (EPOCH + timedelta(days=next_dn)).isoformat(), "t", str(user_ids[owner]),
                esc(user_tz[owner]), "t", str(uid), stamp(ct), str(uid), stamp(ct),
            )))
            links.append(f"{fid}\t{aid}")
        copy_rows(cr, "mail_activity", act_cols, lines)
        cr.execute("CREATE TEMP TABLE crm_bench_activity_link (followup_id int, activity_id int) ON COMMIT DROP")
        copy_rows(cr, "crm_bench_activity_link", ("followup_id", "activity_id"), links)
        cr.execute("""UPDATE crm_customer_followup f SET activity_id = l.activity_id
                        FROM crm_bench_activity_link l WHERE f.id = l.followup_id""")
        cr.execute("DROP TABLE crm_bench_activity_link")
    timings["activities"] = time.perf_counter() - t0

    # -- needs ------------------------------------------------------------------------
    t0 = time.perf_counter()
    need_cols = ("id", "code", "customer_id", "need_type_id", "description", "priority", "solution",
                 "user_id", "state", "date_done", "company_id", "create_uid", "create_date",
                 "write_uid", "write_date", "response_deadline")
    need_hours = {prio: env["res.config.settings"]._crm_customer_param(f"need_hours_{prio}") * 3600
                  for prio in ("high", "medium", "low")}
    skipped["crm.customer.need"] = _check_columns(env, "crm.customer.need", need_cols)
    first_need = reserve_ids(cr, "crm_customer_need", n_need)
    counter = counters["crm.customer.need"]
    prio_items, prio_cum = ("high", "medium", "low"), cum_weights((20, 55, 25))
    lines = []
    for k, key in enumerate(need_keys_plan):
        ci = key & mask24
        uid = user_ids[(key >> 24) & mask6]
        ct = key >> 43
        ntype_i = bisect.bisect(need_cum, rng.random() * need_cum[-1])
        tpl = NEED_TEMPLATES.get(need_keys[ntype_i], NEED_TEMPLATES["product"])
        desc = rng.choice(tpl).format(product=rng.choice(PRODUCTS), topic=rng.choice(TOPICS))
        age = now_ts - ct
        r = rng.random()
        if age < 7 * 86400:
            st = "pending" if r < 0.6 else "in_progress"
        else:
            st = "pending" if r < 0.1 else "in_progress" if r < 0.25 else "done" if r < 0.85 else "closed"
        solution = rng.choice(SOLUTIONS) if st != "pending" else None
        wts = ct if st == "pending" else min(now_ts, ct + int(rng.expovariate(1 / 8.0) * 86400) + 600)
        done = stamp(wts) if st == "done" else None
        prio = pick(rng, prio_items, prio_cum)
        lines.append("\t".join((
            str(first_need + k), counter.next(local_day(ct)), str(first_cust + ci),
            str(need_types[ntype_i]), esc(desc), prio, esc(solution),
            str(uid), st, esc(done), str(company_id), str(uid), stamp(ct), str(uid), stamp(wts),
            stamp(ct + need_hours[prio]) if need_hours[prio] > 0 else "\\N",
        )))
        if len(lines) >= chunk:
            copy_rows(cr, "crm_customer_need", need_cols, lines)
            lines = []
    copy_rows(cr, "crm_customer_need", need_cols, lines)
    timings["needs"] = time.perf_counter() - t0

    # -- feedback -----------------------------------------------------------------------
    t0 = time.perf_counter()
    fb_cols = ("id", "code", "customer_id", "feedback_type_id", "description", "process", "result",
               "satisfaction", "feedback_date", "user_id", "company_id", "create_uid", "create_date",
               "write_uid", "write_date", "response_deadline")
    fb_hours = {ftype.id: ftype.response_hours * 3600
                for ftype in env["crm.customer.feedback.type"].browse(fb_types)}
    skipped["crm.customer.feedback"] = _check_columns(env, "crm.customer.feedback", fb_cols)
    first_fb = reserve_ids(cr, "crm_customer_feedback", n_fb)
    counter = counters["crm.customer.feedback"]
    sat_by_type = {"complaint": (1, 2, 2, 3, 3, 4), "suggestion": (3, 4, 4, 5), "praise": (4, 5, 5, 5)}
    lines = []
    for k, key in enumerate(fb_keys_plan):
        ci = key & mask24
        uid = user_ids[(key >> 24) & mask6]
        delay = (key >> 30) & mask13
        ct = key >> 43
        t_i = bisect.bisect(fb_cum, rng.random() * fb_cum[-1])
        tkey = fb_keys[t_i] or "suggestion"
        desc = rng.choice(FEEDBACK_TEMPLATES.get(tkey, FEEDBACK_TEMPLATES["suggestion"])).format(
            product=rng.choice(PRODUCTS))
        handled = now_ts - ct > 3 * 86400 or rng.random() < 0.3
        process = rng.choice(PROCESSES) if handled else None
        result = rng.choice(RESULTS) if handled and rng.random() < 0.8 else None
        sat = rng.choice(sat_by_type.get(tkey, (3, 4, 5))) if handled and rng.random() < 0.75 else None
        wts = min(now_ts, ct + int(rng.expovariate(1 / 3.0) * 86400) + 300) if handled else ct
        lines.append("\t".join((
            str(first_fb + k), counter.next(local_day(ct)), str(first_cust + ci), str(fb_types[t_i]),
            esc(desc), esc(process), esc(result), esc(sat), stamp(ct - delay), str(uid),
            str(company_id), str(uid), stamp(ct), str(uid), stamp(wts),
            stamp(ct - delay + fb_hours[fb_types[t_i]]) if fb_hours[fb_types[t_i]] > 0 else "\\N",
        )))
        if len(lines) >= chunk:
            copy_rows(cr, "crm_customer_feedback", fb_cols, lines)
            lines = []
    copy_rows(cr, "crm_customer_feedback", fb_cols, lines)
    timings["feedback"] = time.perf_counter() - t0

    # -- the reports add-on's stored follow-up gaps, before the indexes are back ---------------
    Followup = env["crm.customer.followup"]
    if "gap_days" in Followup._fields and hasattr(Followup, "_crm_update_gaps"):
        t0 = time.perf_counter()
        Followup._crm_update_gaps()
        timings["gaps"] = time.perf_counter() - t0
        log(f"follow-up gaps and first follow-ups in {timings['gaps']:.1f}s")

    # -- indexes, sequence ranges, statistics ------------------------------------------------
    if loader:
        timings["index_build"], timings["fk_validate"] = loader.restore()
    t0 = time.perf_counter()
    new_ranges = sum(c.commit_ranges(env.uid) for c in counters.values())
    env.flush_all()
    timings["ranges"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    for table in ("crm_customer", "crm_customer_followup", "crm_customer_need",
                  "crm_customer_feedback", "mail_activity"):
        cr.execute(f'ANALYZE "{table}"')
    timings["analyze"] = time.perf_counter() - t0
    env.invalidate_all()
    total = time.perf_counter() - t_start
    rows = n_cust + n_fu + n_need + n_fb + n_act
    stats = {
        "customers": n_cust, "followups": n_fu, "needs": n_need, "feedback": n_fb,
        "activities": n_act, "tags": len(tag_rows), "date_ranges_created": new_ranges,
        "rows": rows, "seconds": total, "rows_per_second": rows / total if total else 0.0,
        "timings": timings, "first_ids": {
            "crm.customer": first_cust, "crm.customer.followup": first_fu,
            "crm.customer.need": first_need, "crm.customer.feedback": first_fb},
        "fields_not_generated": skipped, "salespeople": user_ids, "now": now_dt,
        "copy_seconds": dict(COPY_SECONDS),
    }
    return stats


# --------------------------------------------------------------------------
# Odoo's own rate, for comparison
# --------------------------------------------------------------------------


def measure_partner_create(env, count=2000, seed=7):
    """Rows/s of ``res.partner.create`` on a batch of ``count`` dicts (flushed),
    inside a savepoint that is rolled back."""
    rng = random.Random(seed)
    country = env.ref("base.cn").id
    vals = []
    for _i in range(count):
        city = CITIES[rng.randrange(len(CITIES))]
        vals.append({
            "name": f"{city[1][:-1]}{rng.choice(BRAND)}{rng.choice(BRAND)}贸易有限公司",
            "is_company": True,
            "phone": mobile(rng),
            "email": f"info{rng.randint(1, 10**6)}@example.com.cn",
            "street": f"{rng.choice(ROADS)}{rng.randint(1, 999)}号",
            "city": city[1],
            "country_id": country,
        })
    env.flush_all()
    savepoint = env.cr.savepoint()
    try:
        t0 = time.perf_counter()
        env["res.partner"].create(vals)
        env.flush_all()
        elapsed = time.perf_counter() - t0
    finally:
        savepoint.close(rollback=True)
        env.invalidate_all()
    return {"rows": count, "seconds": elapsed, "rows_per_second": count / elapsed}


def report_lines(stats, partner):
    t = stats["timings"]
    ratio = stats["rows_per_second"] / partner["rows_per_second"] if partner else float("nan")
    out = [
        f"generated {stats['customers']} customers, {stats['followups']} follow-ups, "
        f"{stats['needs']} needs, {stats['feedback']} feedback, {stats['activities']} open activities "
        f"({stats['rows']} rows) in {stats['seconds']:.1f}s = {stats['rows_per_second']:.0f} rows/s",
        "phases: " + ", ".join(f"{k} {v:.1f}s" for k, v in t.items()),
        "of which COPY: " + ", ".join(f"{k} {v:.1f}s" for k, v in stats.get("copy_seconds", {}).items()),
    ]
    if partner:
        out.append(
            f"odoo res.partner.create: {partner['rows']} rows in {partner['seconds']:.2f}s = "
            f"{partner['rows_per_second']:.0f} rows/s -> generator/ORM ratio {ratio:.1f}x")
    for model, fnames in stats["fields_not_generated"].items():
        if fnames:
            out.append(f"WARNING: not generated (NULL) on {model}: {', '.join(fnames)}")
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--customers", type=int, required=True)
    parser.add_argument("--followups", type=float, default=5, help="follow-ups per customer")
    parser.add_argument("--needs", type=float, default=0.5, help="needs per customer")
    parser.add_argument("--feedback", type=float, default=0.3, help="feedback per customer")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--days", type=float, default=3 * 365, help="span of creation dates")
    parser.add_argument("--salespeople", type=int, default=20)
    parser.add_argument("--partner-sample", type=int, default=2000,
                        help="batch size of the res.partner.create comparison (0 = skip)")
    parser.add_argument("--bulk", choices=("auto", "yes", "no"), default="auto",
                        help="drop/re-create secondary indexes and foreign keys around the load "
                             "(auto: when the run at least doubles the customers, from 50,000)")
    parser.add_argument("--dry-run", action="store_true", help="roll back instead of committing")
    args = parser.parse_args(argv)


    def log(message):
        print(f"{time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)  # noqa: T201

    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        partner = None
        if args.partner_sample:
            partner = measure_partner_create(env, args.partner_sample)
        stats = generate(env, args.customers, followups_per_customer=args.followups, seed=args.seed,
                         needs_per_customer=args.needs, feedback_per_customer=args.feedback,
                         span_days=args.days, salespeople=args.salespeople, log=log,
                         bulk={"auto": None, "yes": True, "no": False}[args.bulk])
        if "crm.customer.kpi.rollup" in env and not args.dry_run:
            # the reports add-on's daily KPI aggregates: all days again
            t0 = time.perf_counter()
            env["crm.customer.kpi.rollup"]._rebuild()
            log(f"KPI daily aggregates rebuilt in {time.perf_counter() - t0:.1f}s")
        t0 = time.perf_counter()
        if args.dry_run:
            cr.rollback()
        else:
            cr.commit()
        commit_s = time.perf_counter() - t0
    stats["seconds"] += commit_s
    stats["timings"]["commit"] = commit_s
    stats["rows_per_second"] = stats["rows"] / stats["seconds"]
    for line in report_lines(stats, partner):
        print(line)  # noqa: T201 - command-line output
    return 0


if __name__ == "__main__":
    sys.exit(main())
