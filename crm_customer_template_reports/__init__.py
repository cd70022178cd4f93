from odoo.tools import SQL

from . import controllers
from . import models
from . import report
from . import wizard
from .models.crm_customer_kpi_rollup import MARKED_TABLES


def uninstall_hook(env):
    """Drop the KPI aggregates' triggers and functions (they live on the
    tables of crm_customer_template, which stay) and their tables."""
    for table in MARKED_TABLES:
        for event in ("insert", "update", "delete"):
            name = f"{table}_kpi_mark_{event}"
            env.cr.execute(SQL("DROP TRIGGER IF EXISTS %s ON %s",
                               SQL.identifier(name), SQL.identifier(table)))
            env.cr.execute(SQL("DROP FUNCTION IF EXISTS %s()", SQL.identifier(name)))
    env.cr.execute(SQL("DROP TABLE IF EXISTS crm_customer_kpi_rollup, crm_customer_kpi_dirty"))
