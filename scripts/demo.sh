#!/usr/bin/env bash
# One command from a fresh clone to a running Ferry with demo data:
# dependencies, services, metadata database, demo legacy CRM, build, web app + one worker.
# Safe to run again: it restarts the web app and worker of an earlier run.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${PORT:-3000}"
customers="${DEMO_CUSTOMERS:-5000}"

bash scripts/setup.sh
set -a; . ./.env; set +a

printf '\n▸ Metadata database\n'
npx tsx scripts/migrate.ts

printf '\n▸ Demo data (legacy_crm in MariaDB, new_crm in PostgreSQL; %s customers)\n' "$customers"
npx tsx scripts/demo-data/load-demo-data.ts --customers "$customers"
npx tsx scripts/seed-demo.ts

printf '\n▸ Build\n'
if [ -f .next/BUILD_ID ] && [ -z "$(find app components hooks lib next.config.js package.json -newer .next/BUILD_ID -type f -not -path 'lib/db/generated/*' -print -quit)" ]; then
  echo "✓ build is up to date"
else
  npx next build
fi
node scripts/build-worker.mjs

printf '\n▸ Start\n'
bash scripts/demo-stop.sh --quiet
mkdir -p .ferry/logs
nohup npx next start -p "$port" > .ferry/logs/web.log 2>&1 &
echo $! > .ferry/web.pid
nohup bash scripts/run-worker.sh > .ferry/logs/worker.log 2>&1 &
echo $! > .ferry/worker.pid

for _ in $(seq 1 60); do
  if curl -fs "http://127.0.0.1:$port/api/health" >/dev/null 2>&1; then break; fi
  sleep 1
done
curl -fs "http://127.0.0.1:$port/api/health" >/dev/null || { echo "✗ The web app did not start; see .ferry/logs/web.log" >&2; exit 1; }

cat <<MSG

Ferry is running at http://localhost:$port

  Demo logins (email / password):
    admin@ferry.local    / ferry-admin-demo     (everything, manages users)
    analyst@ferry.local  / ferry-analyst-demo   (connections and mappings)
    viewer@ferry.local   / ferry-viewer-demo    (read-only)

  Connections "Legacy CRM (MariaDB)" and "New CRM (PostgreSQL)" are set up.
  Logs: .ferry/logs/web.log, .ferry/logs/worker.log    Stop: npm run demo:stop
MSG
