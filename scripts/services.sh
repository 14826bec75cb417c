#!/usr/bin/env bash
# Makes sure PostgreSQL, MariaDB/MySQL and Redis answer on their local ports.
# Starts a server that is installed but stopped; says what to install when one is missing.
# Remote services (non-local URLs) are only checked, never started.
# Then switches PostgreSQL and MariaDB to the settings change capture needs
# (scripts/lib/change-capture-settings.sh), restarting a server only when one must.
# A restart drops every client connection: run it under /tmp/ferry-integration.lock
# (flock /tmp/ferry-integration.lock bash scripts/services.sh) when tests may be running.
set -uo pipefail
. "$(dirname "$0")/lib/change-capture-settings.sh"

wait_for() { # name, check command…
  local name="$1"; shift
  for _ in $(seq 1 60); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "✗ $name did not become ready within 30 s" >&2; return 1
}

ensure_postgres() {
  if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then echo "✓ PostgreSQL"; return 0; fi
  if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    echo "✗ PostgreSQL is not installed. Install it (Debian/Ubuntu: apt-get install -y postgresql) or point DATABASE_URL at a server." >&2; return 1
  fi
  echo "… starting PostgreSQL"
  if command -v pg_ctlcluster >/dev/null; then
    detached pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start
  else
    detached service postgresql start
  fi
  wait_for PostgreSQL pg_isready -h 127.0.0.1 -p 5432 -q && echo "✓ PostgreSQL (started)"
}

ensure_mariadb() {
  if mariadb-admin -h 127.0.0.1 -P 3306 -uroot ping >/dev/null 2>&1 || mysqladmin -h 127.0.0.1 -P 3306 -uroot ping >/dev/null 2>&1; then
    echo "✓ MariaDB"; return 0
  fi
  local daemon; daemon="$(command -v mariadbd || ls /usr/sbin/mariadbd /usr/sbin/mysqld 2>/dev/null | head -1)"
  if [ -z "$daemon" ]; then
    echo "✗ MariaDB is not installed. Install it (Debian/Ubuntu: apt-get install -y mariadb-server)." >&2; return 1
  fi
  echo "… starting MariaDB"
  start_mariadb "$daemon" "$(mariadb_pid_file)"
  wait_for MariaDB mariadb-admin -h 127.0.0.1 -P 3306 -uroot ping && echo "✓ MariaDB (started)"
}

ensure_redis() {
  if redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; then echo "✓ Redis"; else
    if ! command -v redis-server >/dev/null; then
      echo "✗ Redis is not installed. Install it (Debian/Ubuntu: apt-get install -y redis-server)." >&2; return 1
    fi
    echo "… starting Redis"
    mkdir -p /var/lib/redis /var/log/redis
    detached redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log --maxmemory-policy noeviction
    wait_for Redis sh -c 'redis-cli -h 127.0.0.1 -p 6379 ping | grep -q PONG' && echo "✓ Redis (started)" || return 1
  fi
  # BullMQ loses jobs if Redis evicts keys under memory pressure.
  redis-cli -h 127.0.0.1 -p 6379 config set maxmemory-policy noeviction >/dev/null 2>&1 || true
}

status=0
{ ensure_postgres && configure_postgres_for_capture; } || status=1
{ ensure_mariadb && configure_mariadb_for_capture; } || status=1
ensure_redis || status=1
exit $status
