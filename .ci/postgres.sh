#!/usr/bin/env bash
# Makes sure a PostgreSQL server listens on 127.0.0.1:5432 with an empty database opstap_test,
# installing and starting Debian's PostgreSQL when it is missing. Prints the database URL.
set -euo pipefail
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if ! command -v pg_ctlcluster >/dev/null; then
    $SUDO apt-get update -qq >&2 && $SUDO apt-get install -y -qq postgresql >&2
  fi
  version=$(ls /etc/postgresql | sort -n | tail -1)
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || $SUDO pg_ctlcluster "$version" main start >&2
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
psql_admin() { $SUDO runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qtA "$@"; }
psql_admin -c "ALTER USER postgres PASSWORD 'postgres'" >/dev/null
psql_admin -c "DROP DATABASE IF EXISTS opstap_test WITH (FORCE)" >/dev/null
psql_admin -c "CREATE DATABASE opstap_test" >/dev/null
echo "postgresql+psycopg://postgres:postgres@127.0.0.1:5432/opstap_test"
