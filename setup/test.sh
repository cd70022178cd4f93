#!/usr/bin/env bash
# Install what is missing, create a throwaway database with every add-on of
# this repository installed, run every test (add-on tests, the top-level
# tests/ folder, HttpCase and browser tours included) and drop the database.
#
#   ./setup/test.sh                                   # the whole suite
#   ./setup/test.sh crm_customer_template/tests/test_customer.py -k code
#
# Arguments are passed to pytest. Set CRM_TEST_DB=name to keep (and reuse,
# with an update of the add-ons) a named test database between runs.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_all
MODULES="$(our_modules)"
KEEP_DB=0
if [ -n "${CRM_TEST_DB:-}" ]; then
    KEEP_DB=1
    DB="$CRM_TEST_DB"
    WORK="$CRM_STATE_DIR/test-$DB"
else
    DB="crm_test_$(date +%Y%m%d%H%M%S)_$$"
    WORK="$(mktemp -d "${TMPDIR:-/tmp}/crm_test.XXXXXX")"
fi
CONF="$WORK/odoo.conf"
write_config "$CONF" "$WORK/data" "http_interface = 127.0.0.1"

cleanup() {
    local rc=$?
    if [ "$KEEP_DB" = 0 ]; then
        drop_db "$DB"
        rm -rf "$WORK"
    fi
    stop_postgres_if_started
    exit "$rc"
}
trap cleanup EXIT

INSTALL_LOG="$WORK/install.log"
if db_exists "$DB"; then
    log "updating $MODULES in test database $DB"
    ACTION=(-i "$MODULES" -u "$MODULES")  # -i installs add-ons added since
else
    log "creating test database $DB with $MODULES"
    ACTION=(-i "$MODULES")
fi
if ! odoo_bin -c "$CONF" -d "$DB" "${ACTION[@]}" --stop-after-init --log-level=warn \
        --http-port=0 >"$INSTALL_LOG" 2>&1 \
        || grep -qE ' (ERROR|CRITICAL) ' "$INSTALL_LOG"; then
    cat "$INSTALL_LOG" >&2
    die "installing the add-ons failed (see above)"
fi

log "running the tests"
cd "$REPO_DIR"
if [ $# -eq 0 ]; then
    set -- $(echo "$MODULES" | tr ',' ' ') tests
fi
"$VENV/bin/pytest" --odoo-config="$CONF" --odoo-database="$DB" --odoo-http "$@"
