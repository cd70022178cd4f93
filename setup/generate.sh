#!/usr/bin/env bash
# Fill a database with N generated customers (and 5 follow-ups, 0.5 needs and
# 0.3 feedback per customer), for benchmarks and manual testing. Prints the
# time, the rows/s and the ratio to Odoo's own res.partner batch create.
#
#   ./setup/generate.sh 100000              # into the demo database crm_demo
#   ./setup/generate.sh 1000000 crm_bench   # creates crm_bench first if needed
#   ./setup/generate.sh 1000 crm_demo --followups 3 --seed 7   # extra generator options
#
# The database is created (or updated) by setup/run.sh --no-serve when it does
# not exist yet. Generated users are bench_sales_01… (time zone Asia/Shanghai).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[ $# -ge 1 ] && [[ "$1" =~ ^[0-9]+$ ]] || die "usage: $0 N [DB] [generator options]"
N="$1"
shift
DB="${CRM_DB:-crm_demo}"
if [ $# -ge 1 ] && [[ "$1" != -* ]]; then
    DB="$1"
    shift
fi

ensure_all
CONF="$CRM_STATE_DIR/odoo-$DB.conf"
if ! db_exists "$DB" || [ ! -f "$CONF" ]; then
    log "database $DB is not there yet: creating it with setup/run.sh --no-serve"
    CRM_DB="$DB" "$REPO_DIR/setup/run.sh" --no-serve
fi

log "generating $N customers into $DB"
START=$(date +%s)
"$VENV/bin/python" "$REPO_DIR/bench/generate.py" -c "$CONF" -d "$DB" --customers "$N" "$@"
log "done in $(( $(date +%s) - START ))s (wall clock, including Odoo start-up)"
