# Shared functions of setup/run.sh and setup/test.sh. Source it; do not run it.
#
# Everything here is idempotent: each step checks what is already there and
# only does what is missing, so both commands are safe to run again.
#
# Settings (environment variables, all optional):
#   ODOO_SRC        Odoo 18.0 source tree (holds odoo-bin)     default /opt/odoo18
#   CRM_STATE_DIR   venv, configuration, filestore, secrets    default ~/.crm_customer_template
#   CRM_DB_USER / CRM_DB_PASSWORD   PostgreSQL login role     default odoo / odoo
#   CRM_PYTHON      Python 3.11 interpreter for the venv       default python3.11 (or python3)

set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ODOO_SRC="${ODOO_SRC:-/opt/odoo18}"
CRM_STATE_DIR="${CRM_STATE_DIR:-$HOME/.crm_customer_template}"
CRM_DB_USER="${CRM_DB_USER:-odoo}"
CRM_DB_PASSWORD="${CRM_DB_PASSWORD:-odoo}"
CRM_DB_HOST="${CRM_DB_HOST:-127.0.0.1}"
CRM_DB_PORT="${CRM_DB_PORT:-5432}"
VENV="$CRM_STATE_DIR/venv"
ODOO_NIGHTLY_URL="https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.latest.tar.gz"

APT_PACKAGES=(
    postgresql libpq-dev libldap2-dev libsasl2-dev
    wkhtmltopdf fonts-noto-cjk poppler-utils chromium
)

log() { printf '[setup] %s\n' "$*" >&2; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 2; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# -- Odoo source --------------------------------------------------------------

ensure_odoo_src() {
    if [ -f "$ODOO_SRC/odoo-bin" ] && [ -d "$ODOO_SRC/odoo/addons/base" ]; then
        return 0
    fi
    log "no Odoo 18.0 tree at ODOO_SRC=$ODOO_SRC; trying the official nightly"
    local tmp
    tmp="$(mktemp -d)"
    if command -v curl >/dev/null \
        && curl -fsSL --connect-timeout 10 --max-time 900 -o "$tmp/odoo.tar.gz" "$ODOO_NIGHTLY_URL"; then
        mkdir -p "$ODOO_SRC"
        tar -xzf "$tmp/odoo.tar.gz" -C "$ODOO_SRC" --strip-components=1
        rm -rf "$tmp"
        [ -f "$ODOO_SRC/odoo-bin" ] || die "the nightly archive did not contain odoo-bin"
        return 0
    fi
    rm -rf "$tmp"
    die "Odoo 18.0 source not found. Put an Odoo 18.0 Community tree (the folder that holds odoo-bin and odoo/addons) at $ODOO_SRC, or set ODOO_SRC to where it is, then run this again."
}

# -- Debian packages ----------------------------------------------------------

ensure_apt_packages() {
    local missing=() pkg
    for pkg in "${APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
}

# -- PostgreSQL ---------------------------------------------------------------

PG_STARTED_BY_US=0

pg_cluster() {
    # "<version> <name> <port> <status>" of the first cluster, if any.
    pg_lsclusters --no-header 2>/dev/null | awk 'NR==1 {print $1, $2, $3, $4}'
}

ensure_postgres() {
    local line version name port status
    line="$(pg_cluster)"
    if [ -z "$line" ]; then
        version="$(ls /usr/lib/postgresql | sort -V | tail -1)"
        log "creating PostgreSQL $version cluster"
        as_root pg_createcluster "$version" main >/dev/null
        line="$(pg_cluster)"
    fi
    read -r version name port status <<<"$line"
    CRM_DB_PORT="$port"
    if [ "$status" != "online" ]; then
        log "starting PostgreSQL $version/$name on port $port"
        as_root pg_ctlcluster "$version" "$name" start
        PG_STARTED_BY_US=1
    fi
    local i
    for i in $(seq 1 30); do
        pg_isready -q -h "$CRM_DB_HOST" -p "$CRM_DB_PORT" && break
        sleep 1
    done
    pg_isready -q -h "$CRM_DB_HOST" -p "$CRM_DB_PORT" || die "PostgreSQL did not come up on port $CRM_DB_PORT"
    local exists
    exists="$(as_root runuser -u postgres -- psql -p "$CRM_DB_PORT" -tAc \
        "SELECT 1 FROM pg_roles WHERE rolname = '$CRM_DB_USER'")"
    if [ "$exists" != "1" ]; then
        log "creating PostgreSQL role $CRM_DB_USER"
        as_root runuser -u postgres -- psql -p "$CRM_DB_PORT" -q -c \
            "CREATE ROLE \"$CRM_DB_USER\" LOGIN CREATEDB PASSWORD '$CRM_DB_PASSWORD'"
    fi
}

stop_postgres_if_started() {
    if [ "$PG_STARTED_BY_US" = 1 ]; then
        local version name _port _status
        read -r version name _port _status <<<"$(pg_cluster)"
        log "stopping PostgreSQL $version/$name (this command started it)"
        as_root pg_ctlcluster "$version" "$name" stop || true
    fi
}

psql_odoo() {
    PGPASSWORD="$CRM_DB_PASSWORD" psql -h "$CRM_DB_HOST" -p "$CRM_DB_PORT" -U "$CRM_DB_USER" -d postgres "$@"
}

db_exists() {
    [ "$(psql_odoo -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'")" = "1" ]
}

drop_db() {
    psql_odoo -q -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" >/dev/null 2>&1 || true
}

# -- Python -------------------------------------------------------------------

python_bin() {
    if [ -n "${CRM_PYTHON:-}" ]; then echo "$CRM_PYTHON"; return; fi
    if command -v python3.11 >/dev/null; then echo python3.11; else echo python3; fi
}

# pip, quiet, without the machine's notes about absent local mirrors.
pip_q() {
    "$VENV/bin/pip" "$@" 2>&1 | { grep -v 'is ignored: it is neither a file nor a directory' || true; }
    return "${PIPESTATUS[0]}"
}

ensure_venv() {
    local stamp want
    want="$( { cat "$ODOO_SRC/requirements.txt" "$REPO_DIR/setup/requirements.txt" \
        "$REPO_DIR/setup/constraints.txt"; echo "$ODOO_SRC"; } | sha256sum | cut -d' ' -f1)"
    stamp="$VENV/.crm_customer_template.stamp"
    if [ -x "$VENV/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return 0
    fi
    mkdir -p "$CRM_STATE_DIR"
    if [ ! -x "$VENV/bin/python" ]; then
        log "creating the Python venv in $VENV"
        "$(python_bin)" -m venv "$VENV"
    fi
    export PIP_CONSTRAINT="$REPO_DIR/setup/constraints.txt"
    export PIP_DISABLE_PIP_VERSION_CHECK=1
    log "installing Odoo's Python requirements (a minute or two the first time)"
    pip_q install -q -r "$ODOO_SRC/requirements.txt"
    log "installing Odoo from $ODOO_SRC (editable, compat mode)"
    pip_q install -q --no-deps -e "$ODOO_SRC" --config-settings editable_mode=compat
    log "installing OCA add-ons and test tools"
    pip_q install -q -r "$REPO_DIR/setup/requirements.txt"
    unset PIP_CONSTRAINT
    echo "$want" >"$stamp"
}

# -- Odoo configuration -------------------------------------------------------

# Our add-ons: every folder at the top of the repo that has a manifest.
our_modules() {
    local d out=()
    for d in "$REPO_DIR"/*/; do
        [ -f "$d/__manifest__.py" ] && out+=("$(basename "$d")")
    done
    (IFS=,; echo "${out[*]}")
}

# The secret key that encrypts contact data at rest. Kept outside the
# database, generated once per state dir.
ensure_secret_key() {
    local f="$CRM_STATE_DIR/crm_customer_key"
    if [ ! -s "$f" ]; then
        mkdir -p "$CRM_STATE_DIR"
        ( umask 077; "$VENV/bin/python" -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())' >"$f" )
    fi
    cat "$f"
}

# write_config FILE DATA_DIR [extra "key = value" lines...]
write_config() {
    local file="$1" data_dir="$2"
    shift 2
    mkdir -p "$(dirname "$file")" "$data_dir"
    {
        echo "[options]"
        echo "addons_path = $ODOO_SRC/odoo/addons,$REPO_DIR"
        echo "data_dir = $data_dir"
        echo "db_host = $CRM_DB_HOST"
        echo "db_port = $CRM_DB_PORT"
        echo "db_user = $CRM_DB_USER"
        echo "db_password = $CRM_DB_PASSWORD"
        echo "crm_customer_key = $(ensure_secret_key)"
        local line
        for line in "$@"; do echo "$line"; done
    } >"$file"
}

odoo_bin() {
    "$VENV/bin/python" "$ODOO_SRC/odoo-bin" "$@"
}

ensure_all() {
    ensure_odoo_src
    ensure_apt_packages
    ensure_postgres
    ensure_venv
}
