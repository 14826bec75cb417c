#!/usr/bin/env bash
# Stops the web app and worker started by `npm run demo`.
cd "$(dirname "$0")/.."
for name in web worker; do
  pidfile=".ferry/$name.pid"
  [ -f "$pidfile" ] || continue
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    pkill -TERM -P "$pid" 2>/dev/null; kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    [ "${1:-}" = "--quiet" ] || echo "stopped $name ($pid)"
  fi
  rm -f "$pidfile"
done
