#!/usr/bin/env bash
# One command from a fresh clone to a running Ferry with demo data:
# dependencies, services, metadata database, demo legacy CRM, build, web app + one worker.
# Safe to run again: it restarts the web app and worker of an earlier run.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/process-group.sh
port="${PORT:-3000}"
customers="${DEMO_CUSTOMERS:-5000}"
run_dir="${FERRY_RUN_DIR:-.ferry}"

# Before the long steps: the port must be free, or held by this demo's earlier web app.
require_free_port "$port" "$run_dir/web.pid"

bash scripts/setup.sh
set -a; . ./.env; set +a
# The demo serves plain HTTP on localhost: a Secure cookie would not come back over it
# (COOKIE_SECURE defaults to true in production). A real installation sits behind HTTPS.
export COOKIE_SECURE=false

printf '\n▸ Metadata database\n'
npx tsx scripts/migrate.ts

printf '\n▸ Demo data (legacy_crm in MariaDB, new_crm in PostgreSQL; %s customers)\n' "$customers"
npx tsx scripts/demo-data/load-demo-data.ts --customers "$customers"
# Demo logins only into an empty users table: a changed demo password or a disabled demo
# admin stays so when the demo is started again.
FERRY_DEMO=1 npx tsx scripts/seed-demo.ts

printf '\n▸ Build\n'
if [ -f .next/BUILD_ID ] && [ -z "$(find app components hooks lib next.config.js package.json -newer .next/BUILD_ID -type f -not -path 'lib/db/generated/*' -print -quit)" ]; then
  echo "✓ build is up to date"
else
  npx next build
fi
node scripts/build-worker.mjs
node scripts/build-web-server.mjs

printf '\n▸ Start\n'
bash scripts/demo-stop.sh --quiet
# Whatever answers on the port from here on must be the web app started below.
require_free_port "$port"
mkdir -p "$run_dir/logs"
# Ferry's own server (server/web-server.ts): the client address comes from the socket.
start_group "$run_dir/web.pid" "$run_dir/logs/web.log" node dist/web-server.mjs --port "$port"
start_group "$run_dir/worker.pid" "$run_dir/logs/worker.log" bash scripts/run-worker.sh

for _ in $(seq 1 60); do
  if curl -fs "http://127.0.0.1:$port/api/health" >/dev/null 2>&1; then break; fi
  group_alive "$run_dir/web.pid" || break
  sleep 1
done
{ group_alive "$run_dir/web.pid" && curl -fs "http://127.0.0.1:$port/api/health" >/dev/null; } ||
  { echo "✗ The web app did not start; see $run_dir/logs/web.log" >&2; exit 1; }

cat <<MSG

Ferry is running at http://localhost:$port

  Demo logins (email / password; seeded on the first run only, your changes are kept):
    admin@ferry.local    / ferry-admin-demo     (everything, manages users)
    analyst@ferry.local  / ferry-analyst-demo   (connections and mappings)
    viewer@ferry.local   / ferry-viewer-demo    (read-only)

  Connections "Legacy CRM (MariaDB)" and "New CRM (PostgreSQL)" are set up.
  A sync is ready to start: "Legacy customers → contacts (sync)" (binlog) on the Syncs page.
  Press Start, then keep the legacy CRM changing and watch the delay D:
    npm run demo:changes          (about 10 changes/s; --rate 20 for more; Ctrl-C stops)
  A plan is ready to run: "Legacy CRM → new CRM" (4 mappings, ids remapped) on the Plans page.
  Logs: $run_dir/logs/web.log, $run_dir/logs/worker.log    Stop: npm run demo:stop
MSG
