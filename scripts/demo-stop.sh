#!/usr/bin/env bash
# Stops the web app and worker started by `npm run demo`: each one's whole process group,
# so nothing they started (next-server, the worker under its supervisor) outlives them.
cd "$(dirname "$0")/.."
. scripts/lib/process-group.sh
run_dir="${FERRY_RUN_DIR:-.ferry}"
for name in web worker; do
  pidfile="$run_dir/$name.pid"
  [ -f "$pidfile" ] || continue
  running=""; group_alive "$pidfile" && running="$(cut -d' ' -f1 "$pidfile")"
  stop_group "$pidfile"
  [ -n "$running" ] && [ "${1:-}" != "--quiet" ] && echo "stopped $name (process group $running)"
done
exit 0
