# Background services that can be stopped completely (sourced by demo.sh and demo-stop.sh).
#
# Each service runs in a session of its own, so its process group holds everything it
# starts: a service started through npx or npm runs its server a level or two down, and a
# stop that only reached the direct children once left such a server holding the port. The service's pid
# file holds the group id and a random token that every process of the service inherits in
# its environment. The token finds the service's processes (even one that left the group),
# and a stale pid file can never make us signal an unrelated group that reuses the number.
#
#   start_group PIDFILE LOGFILE COMMAND…   start COMMAND in a new session, output to LOGFILE
#   stop_group PIDFILE                     TERM the service, KILL what is left after a grace period
#   group_alive PIDFILE                    true while a process of the service runs
#   port_holder PORT                       describes what listens on PORT (false when nothing does)
#   require_free_port PORT [PIDFILE]       fails with a clear message when PORT is taken
#                                          (by anything but the service in PIDFILE, if given)

FERRY_STOP_GRACE_S="${FERRY_STOP_GRACE_S:-15}"

start_group() {
  local pidfile="$1" logfile="$2"; shift 2
  local token; token="$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
  rm -f "$pidfile"
  # --fork: setsid only works for a process that is not a group leader already. The child
  # records its own pid (= its group id) and then becomes COMMAND.
  FERRY_PROCESS_GROUP="$token" setsid --fork bash -c 'echo "$$ $1" > "$2"; shift 2; exec "$@"' _ "$token" "$pidfile" "$@" \
    < /dev/null > "$logfile" 2>&1
  for _ in $(seq 1 50); do [ -s "$pidfile" ] && return 0; sleep 0.1; done
  echo "✗ $* did not start; see $logfile" >&2
  return 1
}

# Pids of the running processes that carry TOKEN (one grep over /proc: this is polled).
# A zombie's environment reads empty, so exited processes are not counted.
token_pids() {
  grep -lszxF "FERRY_PROCESS_GROUP=$1" /proc/[0-9]*/environ | cut -d/ -f3
}

group_alive() {
  local pgid="" token=""
  [ -f "$1" ] && read -r pgid token < "$1" && [ -n "$token" ] || return 1
  [ -n "$(token_pids "$token")" ]
}

# Signals the group and every process with the token, wherever it went.
signal_service() {
  local signal="$1" pgid="$2" token="$3" pids
  pids="$(token_pids "$token")"
  [ -n "$pids" ] || return 0
  # shellcheck disable=SC2086 # one pid per word
  kill "-$signal" -- "-$pgid" $pids 2>/dev/null
  return 0
}

stop_group() {
  local pidfile="$1" pgid="" token="" waited=0
  [ -f "$pidfile" ] || return 0
  read -r pgid token < "$pidfile" || true
  if [ -z "$token" ]; then
    # A pid file written before process groups: the old stop (process and direct children).
    [ -n "$pgid" ] && { pkill -TERM -P "$pgid"; kill -TERM "$pgid"; } 2>/dev/null
  elif group_alive "$pidfile"; then
    signal_service TERM "$pgid" "$token"
    while group_alive "$pidfile" && [ "$waited" -lt $((FERRY_STOP_GRACE_S * 5)) ]; do sleep 0.2; waited=$((waited + 1)); done
    if group_alive "$pidfile"; then
      echo "  $(basename "$pidfile" .pid) did not stop within ${FERRY_STOP_GRACE_S} s; killing it" >&2
      signal_service KILL "$pgid" "$token"
      for _ in $(seq 1 25); do group_alive "$pidfile" || break; sleep 0.2; done
    fi
  fi
  rm -f "$pidfile"
}

port_holder() {
  local port="$1" listeners pids pid
  if command -v ss >/dev/null 2>&1; then
    listeners="$(ss -ltnpH "sport = :$port" 2>/dev/null)"
    [ -n "$listeners" ] || return 1
    pids="$(grep -o 'pid=[0-9]*' <<<"$listeners" | cut -d= -f2 | sort -un)" || true
    if [ -z "$pids" ]; then echo "a process this user cannot see (another user's, or another container's)"; return 0; fi
    for pid in $pids; do echo "pid $pid: $(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | cut -c1-120)"; done
  else
    (exec 3<> "/dev/tcp/127.0.0.1/$port") 2>/dev/null || return 1
    echo "an unknown process (install iproute2 for ss, to see which)"
  fi
}

require_free_port() {
  local port="$1" pidfile="${2:-}" holder pids pgid="" token=""
  holder="$(port_holder "$port")" || return 0
  pids="$(grep -o '^pid [0-9]*' <<<"$holder" | cut -d' ' -f2)" || true
  # Held by the service in PIDFILE alone (an earlier demo, which the caller stops next).
  if [ -n "$pids" ] && [ -n "$pidfile" ] && [ -f "$pidfile" ] && read -r pgid token < "$pidfile" && [ -n "$token" ] &&
    [ -z "$(comm -23 <(sort <<<"$pids") <(token_pids "$token" | sort))" ]; then
    return 0
  fi
  {
    echo "✗ Port $port is already in use by:"
    sed 's/^/    /' <<<"$holder"
    echo "  Stop it (npm run demo:stop if an earlier demo left it; otherwise kill the pid above),"
    echo "  or use another port: PORT=$((port + 1)) npm run demo"
  } >&2
  return 1
}
