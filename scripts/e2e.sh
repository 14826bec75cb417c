#!/usr/bin/env bash
# Runs end-to-end tests only (building first), e.g. `npm run test:e2e -- e2e/migration.spec.ts`.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/test-env.sh
npx tsx scripts/migrate.ts >/dev/null
npx next build >/dev/null
npx playwright test "$@"
