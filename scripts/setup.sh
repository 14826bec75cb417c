#!/usr/bin/env bash
# Prepares a machine for Ferry: dependencies, services, secrets, Prisma client, metadata
# database. Safe to run again; each step is skipped when already done.
# Usage: scripts/setup.sh [--with-browser]   (the browser is only needed for end-to-end tests)
set -euo pipefail
cd "$(dirname "$0")/.."
with_browser=false
[ "${1:-}" = "--with-browser" ] && with_browser=true

step() { printf '\n▸ %s\n' "$*"; }

step "Node.js dependencies"
major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$major" -lt 20 ]; then echo "✗ Node.js 20.19 or newer is required (found $(node --version))." >&2; exit 1; fi
if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-fund --no-audit --loglevel=error
else
  echo "✓ up to date"
fi

if $with_browser; then
  step "Browser for end-to-end tests"
  if [ -x /usr/bin/chromium ]; then echo "✓ Chromium"; else
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
      echo "✓ Chromium (installed)"
    else
      echo "✗ Chromium is missing: install it (Debian/Ubuntu: sudo apt-get install -y chromium)." >&2; exit 1
    fi
  fi
fi

step "Services (PostgreSQL, MariaDB, Redis)"
bash scripts/services.sh

step "Secrets (.env)"
touch .env
add_env() { grep -q "^$1=" .env || { echo "$1=$2" >> .env; echo "+ $1"; }; }
add_env DATABASE_URL "postgresql://postgres@127.0.0.1:5432/ferry"
add_env REDIS_URL "redis://127.0.0.1:6379"
add_env FERRY_SECRET_KEY "$(node -e 'console.log(require("crypto").randomBytes(32).toString("base64"))')"
add_env SESSION_SECRET "$(node -e 'console.log(require("crypto").randomBytes(32).toString("base64url"))')"
chmod 600 .env
echo "✓ .env"

step "Prisma client"
if [ ! -f lib/db/generated/client.ts ] || [ prisma/schema.prisma -nt lib/db/generated/client.ts ]; then
  bash scripts/prisma-generate.sh >/dev/null
  echo "✓ generated"
else
  echo "✓ up to date"
fi
