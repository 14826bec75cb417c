# Server settings that change capture needs on the local PostgreSQL and MariaDB (sourced
# by scripts/services.sh, after the servers answer).
#
#   configure_postgres_for_capture   wal_level=logical, slots and senders, a WAL bound per slot
#   configure_mariadb_for_capture    binlog on in ROW format with full images, an expiry
#   detached COMMAND…                 starts a server without passing on open descriptors
# (wait_for comes from services.sh.)
#
# Idempotent: a setting is written only when it differs, and a server is restarted only
# when a setting that cannot change at run time differs from what the server runs with.
# One line per change. A restart drops every client connection: whoever runs this for
# real while tests may run holds /tmp/ferry-integration.lock (CI already does, around
# npm test; this file never takes it, or CI would wait for itself).

FERRY_PG_HOST="${FERRY_PG_HOST:-127.0.0.1}"
FERRY_PG_PORT="${FERRY_PG_PORT:-5432}"
FERRY_MARIADB_HOST="${FERRY_MARIADB_HOST:-127.0.0.1}"
FERRY_MARIADB_PORT="${FERRY_MARIADB_PORT:-3306}"

# A slot whose reader is gone keeps WAL forever; past this bound PostgreSQL drops the WAL
# and marks the slot 'lost' (the sync page shows it and offers a new snapshot) instead of
# filling the disk.
FERRY_PG_SLOT_WAL_BOUND_MB="${FERRY_PG_SLOT_WAL_BOUND_MB:-2048}"
FERRY_PG_MIN_SLOTS=10
FERRY_PG_MIN_SENDERS=10
# Binlogs older than this are purged: a reader stopped for longer needs a new snapshot.
FERRY_BINLOG_EXPIRE_S="${FERRY_BINLOG_EXPIRE_S:-259200}"
FERRY_MARIADB_CNF_NAME="60-ferry-change-capture.cnf"

# Runs a command that leaves a server behind with only stdin, stdout and stderr open. A
# daemon keeps every descriptor it inherits: started under `flock /tmp/ferry-integration.lock`,
# PostgreSQL held that lock for as long as it ran, and every test run waited on it.
detached() {
  (
    for fd in $(ls "/proc/$BASHPID/fd" 2>/dev/null); do
      [ "$fd" -gt 2 ] && eval "exec $fd>&-" 2>/dev/null
    done
    "$@"
  )
}

pg_sql() { psql -h "$FERRY_PG_HOST" -p "$FERRY_PG_PORT" -U postgres -d postgres -XAtqc "$1"; }
pg_setting() { pg_sql "select setting from pg_settings where name = '$1'"; }

restart_postgres() {
  if [ "$(id -u)" != 0 ] && [ "$(id -un)" != postgres ]; then
    echo "✗ PostgreSQL must restart to apply $1, and only root or the postgres user can restart it here." >&2
    echo "  Run scripts/services.sh as root, or restart PostgreSQL yourself (e.g. sudo pg_ctlcluster <version> main restart)." >&2
    return 1
  fi
  if command -v pg_ctlcluster >/dev/null; then
    # fast: rolls back open transactions and disconnects clients instead of waiting for them.
    detached pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main restart -m fast
  else
    detached service postgresql restart
  fi || { echo "✗ PostgreSQL did not restart" >&2; return 1; }
  wait_for PostgreSQL pg_isready -h "$FERRY_PG_HOST" -p "$FERRY_PG_PORT" -q
}

postgres_capture_ready() {
  [ "$(pg_sql "select count(*) from pg_settings where
      (name = 'wal_level' and setting = 'logical')
      or (name = 'max_replication_slots' and setting::int >= $FERRY_PG_MIN_SLOTS)
      or (name = 'max_wal_senders' and setting::int >= $FERRY_PG_MIN_SENDERS)
      or (name = 'max_slot_wal_keep_size' and setting = '$FERRY_PG_SLOT_WAL_BOUND_MB')")" = 4 ]
}

postgres_capture_summary() {
  pg_sql "select string_agg(name || '=' || setting || coalesce(unit, ''), ' ' order by name) from pg_settings
    where name in ('wal_level', 'max_slot_wal_keep_size', 'max_replication_slots', 'max_wal_senders')"
}

configure_postgres_for_capture() {
  if postgres_capture_ready; then echo "✓ PostgreSQL change capture ($(postgres_capture_summary))"; return 0; fi
  if [ "$(pg_sql 'select rolsuper from pg_roles where rolname = current_user')" != t ]; then
    echo "✗ PostgreSQL runs with $(postgres_capture_summary), and the postgres role at $FERRY_PG_HOST:$FERRY_PG_PORT is not a superuser." >&2
    echo "  Set in postgresql.conf: wal_level = logical, max_slot_wal_keep_size = ${FERRY_PG_SLOT_WAL_BOUND_MB}MB; then restart PostgreSQL." >&2
    return 1
  fi
  local changed=() restart_for=() value
  value="$(pg_setting wal_level)"
  if [ "$value" != logical ]; then
    echo "PostgreSQL: wal_level $value → logical, restarting"
    pg_sql "alter system set wal_level = 'logical'" >/dev/null && restart_for+=(wal_level)
  fi
  value="$(pg_setting max_replication_slots)"
  if [ "$value" -lt "$FERRY_PG_MIN_SLOTS" ]; then
    echo "PostgreSQL: max_replication_slots $value → $FERRY_PG_MIN_SLOTS, restarting"
    pg_sql "alter system set max_replication_slots = $FERRY_PG_MIN_SLOTS" >/dev/null && restart_for+=(max_replication_slots)
  fi
  value="$(pg_setting max_wal_senders)"
  if [ "$value" -lt "$FERRY_PG_MIN_SENDERS" ]; then
    echo "PostgreSQL: max_wal_senders $value → $FERRY_PG_MIN_SENDERS, restarting"
    pg_sql "alter system set max_wal_senders = $FERRY_PG_MIN_SENDERS" >/dev/null && restart_for+=(max_wal_senders)
  fi
  value="$(pg_setting max_slot_wal_keep_size)" # MB; -1 = unbounded
  if [ "$value" != "$FERRY_PG_SLOT_WAL_BOUND_MB" ]; then
    echo "PostgreSQL: max_slot_wal_keep_size ${value}MB → ${FERRY_PG_SLOT_WAL_BOUND_MB}MB (reload)"
    pg_sql "alter system set max_slot_wal_keep_size = '${FERRY_PG_SLOT_WAL_BOUND_MB}MB'" >/dev/null && changed+=(max_slot_wal_keep_size)
  fi
  if [ ${#restart_for[@]} -gt 0 ]; then
    restart_postgres "${restart_for[*]}" || return 1
  elif [ ${#changed[@]} -gt 0 ]; then
    pg_sql 'select pg_reload_conf()' >/dev/null
  fi
  # Read back what the server runs with: a failed restart or reload leaves the old values.
  if ! postgres_capture_ready; then echo "✗ PostgreSQL still runs with $(postgres_capture_summary)" >&2; return 1; fi
  echo "✓ PostgreSQL change capture ($(postgres_capture_summary))"
}

maria_admin() { "$(command -v mariadb-admin || command -v mysqladmin)" -h "$FERRY_MARIADB_HOST" -P "$FERRY_MARIADB_PORT" -uroot "$@"; }
maria_sql() { "$(command -v mariadb || command -v mysql)" -h "$FERRY_MARIADB_HOST" -P "$FERRY_MARIADB_PORT" -uroot -N -B -e "$1"; }

# The option files mariadbd reads, as it prints them ("/etc/my.cnf /etc/mysql/my.cnf ~/.my.cnf").
mariadb_option_files() {
  "$1" --help --verbose 2>/dev/null | sed -n '/^Default options are read from/{n;p;q}' | tr ' ' '\n' | grep '^/'
}

# A directory that the server's option files include; when none does, Debian's
# /etc/mysql/mariadb.conf.d is created and included from the last system option file.
mariadb_config_dir() {
  local daemon="$1" f dir last=""
  for f in $(mariadb_option_files "$daemon"); do
    [ -f "$f" ] || continue
    last="$f"
    dir="$(sed -n 's/^[[:space:]]*!includedir[[:space:]]\{1,\}\([^[:space:]]*\).*/\1/p' "$f" | grep 'mariadb.conf.d' | tail -1)"
    [ -z "$dir" ] && dir="$(sed -n 's/^[[:space:]]*!includedir[[:space:]]\{1,\}\([^[:space:]]*\).*/\1/p' "$f" | tail -1)"
    [ -n "$dir" ] && { mkdir -p "$dir" 2>/dev/null; echo "${dir%/}"; return 0; }
  done
  last="${last:-/etc/mysql/my.cnf}"
  mkdir -p /etc/mysql/mariadb.conf.d 2>/dev/null || return 1
  { [ -w "$last" ] || { [ ! -e "$last" ] && [ -w "$(dirname "$last")" ]; }; } || return 1
  echo "MariaDB: $last includes no directory; adding !includedir /etc/mysql/mariadb.conf.d/" >&2
  printf '\n!includedir /etc/mysql/mariadb.conf.d/\n' >> "$last" || return 1
  echo /etc/mysql/mariadb.conf.d
}

mariadb_capture_cnf() {
  cat <<CNF
# Written by Ferry's scripts/services.sh: what change capture from the binlog needs.
[mysqld]
server_id = 1
log_bin = mariadb-bin
binlog_format = ROW
binlog_row_image = FULL
# Column names and types in the table maps: rows decode without guessing column order.
binlog_row_metadata = FULL
# A reader stopped longer than this needs a new snapshot; the disk stays safe.
binlog_expire_logs_seconds = $FERRY_BINLOG_EXPIRE_S
CNF
}

# The pid file of the server on our port. Another mariadbd may run on this machine (a
# test's own server on another port): every stop and start goes by this file, never by
# the program's name.
mariadb_pid_file() {
  local file
  file="$(maria_sql 'select @@pid_file' 2>/dev/null)" ||
    file="$(my_print_defaults --mysqld 2>/dev/null | sed -n 's/^--pid[-_]file=//p' | tail -1)"
  echo "${file:-/run/mysqld/mysqld.pid}"
}

start_mariadb() { # daemon, pid file
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null
  detached start-stop-daemon --start --oknodo --background --pidfile "$2" --exec "$1"
}

restart_mariadb() {
  local daemon="$1" pid_file pid
  pid_file="$(mariadb_pid_file)"
  pid="$(cat "$pid_file" 2>/dev/null)"
  maria_admin shutdown || { echo "✗ MariaDB did not accept shutdown" >&2; return 1; }
  # Down means: no answer, and the process that held the data directory is gone.
  for _ in $(seq 1 120); do
    ! maria_admin ping >/dev/null 2>&1 && { [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; } && break
    sleep 0.5
  done
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then echo "✗ MariaDB (pid $pid) did not stop within 60 s" >&2; return 1; fi
  start_mariadb "$daemon" "$pid_file"
  wait_for MariaDB maria_admin ping
}

# What the server runs with, one line: log_bin server_id format image metadata expiry.
mariadb_running() {
  maria_sql 'select @@log_bin, @@server_id, @@binlog_format, @@binlog_row_image, @@binlog_row_metadata, @@binlog_expire_logs_seconds'
}
mariadb_wanted() { echo "1 1 ROW FULL FULL $FERRY_BINLOG_EXPIRE_S"; }

set_mariadb_global() { # name, running value, wanted value, SQL literal
  [ "$2" = "$3" ] && return 0
  echo "MariaDB: $1 $2 → $3"
  maria_sql "SET GLOBAL $1 = $4"
}

configure_mariadb_for_capture() {
  local daemon dir file running log_bin server_id format image metadata expire
  daemon="$(command -v mariadbd || ls /usr/sbin/mariadbd /usr/sbin/mysqld 2>/dev/null | head -1)"
  running="$(mariadb_running | tr '\t' ' ')" || return 1
  if [ "$(id -u)" != 0 ] || ! dir="$(mariadb_config_dir "$daemon")" || [ ! -w "$dir" ]; then
    # Someone else configured it (or will): running right is all that counts here.
    if [ "$running" = "$(mariadb_wanted)" ]; then echo "✓ MariaDB change capture (already set; its option file not checked: not root)"; return 0; fi
    echo "✗ MariaDB runs with log_bin server_id binlog_format binlog_row_image binlog_row_metadata binlog_expire_logs_seconds = $running;" >&2
    echo "  change capture needs the binlog, and this user cannot write MariaDB's configuration or restart it." >&2
    echo "  Run scripts/services.sh as root, or add these lines to a file MariaDB reads and restart it:" >&2
    mariadb_capture_cnf | grep -v '^#' | sed 's/^/    /' >&2
    return 1
  fi
  # The file first, so that whatever happens next (a restart, a reboot) keeps the settings.
  file="$dir/$FERRY_MARIADB_CNF_NAME"
  if [ "$(cat "$file" 2>/dev/null)" != "$(mariadb_capture_cnf)" ]; then
    echo "MariaDB: writing $file"
    mariadb_capture_cnf > "$file" && chmod 644 "$file" || return 1
  fi
  read -r log_bin server_id format image metadata expire <<< "$running"
  if [ "$log_bin" != 1 ]; then
    # log_bin cannot change at run time; the restart reads every other setting from the file.
    echo "MariaDB: log_bin OFF → ON, restarting"
    restart_mariadb "$daemon" || return 1
  else
    # These change at run time. A session already open keeps its own binlog_format
    # until it reconnects.
    set_mariadb_global server_id "$server_id" 1 1 &&
      set_mariadb_global binlog_format "$format" ROW "'ROW'" &&
      set_mariadb_global binlog_row_image "$image" FULL "'FULL'" &&
      set_mariadb_global binlog_row_metadata "$metadata" FULL "'FULL'" &&
      set_mariadb_global binlog_expire_logs_seconds "$expire" "$FERRY_BINLOG_EXPIRE_S" "$FERRY_BINLOG_EXPIRE_S" || return 1
  fi
  running="$(mariadb_running | tr '\t' ' ')" || return 1
  if [ "$running" != "$(mariadb_wanted)" ]; then
    echo "✗ MariaDB runs with log_bin server_id binlog_format binlog_row_image binlog_row_metadata binlog_expire_logs_seconds = $running" >&2
    echo "  (wanted $(mariadb_wanted)); is $file read? Check: my_print_defaults --mysqld" >&2
    return 1
  fi
  read -r log_bin server_id format image metadata expire <<< "$running"
  echo "✓ MariaDB change capture (log_bin=ON server_id=$server_id binlog_format=$format binlog_row_image=$image binlog_row_metadata=$metadata binlog_expire_logs_seconds=$expire)"
}
