#!/usr/bin/env bash
# Install what is missing, create or update the demo database with the
# add-ons installed and demo data loaded, and serve Odoo on 127.0.0.1:8069.
#
#   ./setup/run.sh            # database crm_demo, port 8069
#   CRM_DB=mydb CRM_HTTP_PORT=8070 ./setup/run.sh
#   ./setup/run.sh --no-serve # prepare everything, do not start the server
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CRM_DB="${CRM_DB:-crm_demo}"
CRM_HTTP_PORT="${CRM_HTTP_PORT:-8069}"
SERVE=1
[ "${1:-}" = "--no-serve" ] && SERVE=0

ensure_all
CONF="$CRM_STATE_DIR/odoo-$CRM_DB.conf"
write_config "$CONF" "$CRM_STATE_DIR/data-$CRM_DB" \
    "http_interface = 127.0.0.1" "http_port = $CRM_HTTP_PORT" "dbfilter = ^$CRM_DB\$" \
    "list_db = False"
MODULES="$(our_modules)"

if db_exists "$CRM_DB"; then
    log "updating $MODULES in database $CRM_DB"
    odoo_bin -c "$CONF" -d "$CRM_DB" -i "$MODULES" -u "$MODULES" --load-language=zh_CN --i18n-overwrite \
        --stop-after-init --log-level=warn
else
    log "creating database $CRM_DB with $MODULES and demo data"
    odoo_bin -c "$CONF" -d "$CRM_DB" -i "$MODULES" --load-language=zh_CN \
        --stop-after-init --log-level=warn
fi

if [ "$SERVE" = 0 ]; then
    log "database $CRM_DB is ready (configuration: $CONF)"
    exit 0
fi
cat >&2 <<MSG
[setup] Odoo is starting.
[setup]   URL:      http://127.0.0.1:$CRM_HTTP_PORT/odoo
[setup]   database: $CRM_DB
[setup]   login:    admin / admin   (demo salespeople: zhangwei / zhangwei, lina / lina)
[setup] Stop it with Ctrl+C.
MSG
exec "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$CONF" -d "$CRM_DB"
