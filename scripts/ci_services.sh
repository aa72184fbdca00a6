#!/usr/bin/env bash
# Services the full test suite can use: PostgreSQL (store/API tests against PG) and Chromium
# (browser tests). Idempotent: safe to run again. Needs root (apt) on Debian.
# Prints one line on stdout:  export RASD_TEST_PG_URL=postgresql://...
# Usage in CI:  eval "$(scripts/ci_services.sh)"
set -euo pipefail
log() { echo "ci_services: $*" >&2; }

PG_USER=${RASD_PG_USER:-rasd}
PG_PASS=${RASD_PG_PASS:-rasd}
PG_DB=${RASD_PG_DB:-rasd_test}
PG_PORT=${RASD_PG_PORT:-5432}

need=()
command -v pg_ctlcluster >/dev/null 2>&1 && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
[ -x /usr/bin/chromium ] || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi

PG_VERSION=$(ls /usr/lib/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -q "^${PG_VERSION} main$"; then
  log "creating cluster ${PG_VERSION}/main"
  pg_createcluster "${PG_VERSION}" main -p "${PG_PORT}" >&2
fi
# Local TCP connections only.
pg_conftool "${PG_VERSION}" main set listen_addresses 'localhost' >/dev/null 2>&1 || true
if ! pg_lsclusters -h | awk -v v="$PG_VERSION" '$1==v && $2=="main" {print $4}' | grep -q online; then
  log "starting cluster ${PG_VERSION}/main"
  pg_ctlcluster "${PG_VERSION}" main start >&2
fi
PG_PORT=$(pg_lsclusters -h | awk -v v="$PG_VERSION" '$1==v && $2=="main" {print $3}')

psql_su() { su postgres -c "psql -v ON_ERROR_STOP=1 -p ${PG_PORT} -qtA $*"; }
for _ in $(seq 1 30); do psql_su "-c 'select 1'" >/dev/null 2>&1 && break; sleep 0.5; done
if [ "$(psql_su "-c \"select 1 from pg_roles where rolname='${PG_USER}'\"")" != "1" ]; then
  psql_su "-c \"create role ${PG_USER} login password '${PG_PASS}'\"" >&2
fi
if [ "$(psql_su "-c \"select 1 from pg_database where datname='${PG_DB}'\"")" != "1" ]; then
  psql_su "-c \"create database ${PG_DB} owner ${PG_USER}\"" >&2
fi
echo "export RASD_TEST_PG_URL=postgresql+psycopg://${PG_USER}:${PG_PASS}@127.0.0.1:${PG_PORT}/${PG_DB}"
