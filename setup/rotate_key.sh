#!/usr/bin/env bash
# Rotate the key that encrypts customer contact data at rest.
#
#   ./setup/rotate_key.sh DB [DB...]
#
# Every sensitive value of each database is decrypted with the current key and
# re-encrypted (with a new keyed search hash) under a new key, in one
# transaction per database. Then the new key replaces the old one in the key
# file ($CRM_STATE_DIR/crm_customer_key) that setup/run.sh and setup/test.sh
# write into every odoo.conf, and in the configuration files of the given
# databases. Stop the Odoo servers of these databases first, restart them after.
#
# All databases encrypted with the current key must be rotated together: the
# command refuses to run when another database of this PostgreSQL server still
# uses the current key and is not listed (set CRM_ROTATE_ONLY_LISTED=1 to
# rotate the listed ones anyway and keep the old key for the others).
#
# Outside this set-up (your own odoo.conf): run the same Odoo shell code with
#   CRM_CUSTOMER_NEW_KEY=<new key> odoo-bin shell -c <conf> -d <db> < this part
# (see ROTATE_PY below), then put the new key in the crm_customer_key option.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[ $# -ge 1 ] || die "usage: $0 DB [DB...]"
ensure_postgres
ensure_venv

KEY_FILE="$CRM_STATE_DIR/crm_customer_key"
[ -s "$KEY_FILE" ] || die "no key file at $KEY_FILE: nothing was encrypted by this set-up yet"
OLD_KEY="$(cat "$KEY_FILE")"
NEW_KEY="${CRM_CUSTOMER_NEW_KEY:-$("$VENV/bin/python" -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')}"

# fingerprint KEY: what the database stores to recognise its key (derived, not the key)
fingerprint() {
    "$VENV/bin/python" - "$REPO_DIR/crm_customer_template/models/sensitive_field_mixin.py" "$1" <<'PY'
import importlib.util, sys
spec = importlib.util.spec_from_file_location(
    "odoo.addons.crm_customer_template.models.sensitive_field_mixin", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
print(module.SensitiveCipher(sys.argv[2]).fingerprint)
PY
}
OLD_FP="$(fingerprint "$OLD_KEY")"

# databases of this server that use the current key
USING=()
for db in $(psql_odoo -tAc "SELECT datname FROM pg_database WHERE NOT datistemplate AND datname <> 'postgres'"); do
    fp="$(PGPASSWORD="$CRM_DB_PASSWORD" psql -h "$CRM_DB_HOST" -p "$CRM_DB_PORT" -U "$CRM_DB_USER" -d "$db" -tAc \
        "SELECT value FROM ir_config_parameter WHERE key = 'crm_customer_template.key_fingerprint'" 2>/dev/null || true)"
    [ -n "$fp" ] && [ "$fp" = "$OLD_FP" ] && USING+=("$db")
done
for db in "${USING[@]}"; do
    listed=0
    for want in "$@"; do [ "$want" = "$db" ] && listed=1; done
    if [ "$listed" = 0 ] && [ "${CRM_ROTATE_ONLY_LISTED:-0}" != 1 ]; then
        die "database $db also uses the current key; list it too (or set CRM_ROTATE_ONLY_LISTED=1)"
    fi
done

ROTATE_PY='
import os
new_key = os.environ["CRM_CUSTOMER_NEW_KEY"]
count = env["crm.customer.sensitive.mixin"]._sensitive_rotate_key(new_key)
env.cr.commit()
print(f"re-encrypted {count} values")
'
# keep the new key before any database uses it
NEXT_FILE="$KEY_FILE.next"
( umask 077; printf '%s\n' "$NEW_KEY" >"$NEXT_FILE" )
for db in "$@"; do
    db_exists "$db" || die "no database $db (the new key, unused so far, is in $NEXT_FILE)"
done
for db in "$@"; do
    CONF="$(mktemp "${TMPDIR:-/tmp}/crm_rotate.XXXXXX.conf")"
    write_config "$CONF" "$CRM_STATE_DIR/data-$db"
    log "rotating the contact data key of $db"
    if ! printf '%s\n' "$ROTATE_PY" | CRM_CUSTOMER_NEW_KEY="$NEW_KEY" odoo_bin shell -c "$CONF" -d "$db" \
            --no-http --log-level=warn >"$CONF.log" 2>&1 || ! grep -q "^re-encrypted" "$CONF.log"; then
        cat "$CONF.log" >&2
        rm -f "$CONF" "$CONF.log"
        die "rotation of $db failed; databases rotated before it use the new key in $NEXT_FILE"
    fi
    grep "^re-encrypted" "$CONF.log" >&2
    rm -f "$CONF" "$CONF.log"
done

cp "$KEY_FILE" "$KEY_FILE.old.$(date +%Y%m%d%H%M%S)"
mv "$NEXT_FILE" "$KEY_FILE"
for db in "$@"; do
    conf="$CRM_STATE_DIR/odoo-$db.conf"
    if [ -f "$conf" ]; then
        sed -i "s|^crm_customer_key = .*|crm_customer_key = $NEW_KEY|" "$conf"
    fi
done
log "new key written to $KEY_FILE (the previous one is kept beside it; delete it once backups made with it have expired)"
