#!/usr/bin/env bash
# The whole test suite against real services: type-check, lint, unit, integration, and
# end-to-end tests in Chromium against the production build. Uses its own databases
# (ferry_test, *_e2e) and queue prefix, so a running demo is left alone.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --with-browser || exit 1

. scripts/test-env.sh

logs=".ferry/test-logs"; mkdir -p "$logs"
passed=0; failed=0; failures=()

record() { # name, exit code, log file, pass-regex, fail-regex
  local p f
  p="$(grep -aoE "$4" "$3" | grep -oE '[0-9]+' | tail -1)"; f="$(grep -aoE "$5" "$3" | grep -oE '[0-9]+' | tail -1)"
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
  if [ "$2" -ne 0 ]; then failures+=("$1"); [ "${f:-0}" = 0 ] && failed=$((failed + 1)); fi
}

run_node_tests() { # name, glob…
  local name="$1"; shift
  printf '\n▸ %s\n' "$name"
  node --import tsx --test --test-reporter=spec --test-concurrency=1 --test-timeout=300000 "$@" 2>&1 | tee "$logs/$name.log"
  record "$name" "${PIPESTATUS[0]}" "$logs/$name.log" 'ℹ pass [0-9]+' 'ℹ fail [0-9]+'
}

printf '\n▸ Test database\n'
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS \"${FERRY_TEST_DB}\" WITH (FORCE)" postgres >/dev/null
npx tsx scripts/migrate.ts || exit 1

printf '\n▸ Type-check\n'
if npx tsc --noEmit; then echo "✓ no type errors"; passed=$((passed + 1)); else failures+=("type-check"); failed=$((failed + 1)); fi

printf '\n▸ Lint\n'
if npm run --silent lint; then echo "✓ no lint errors"; passed=$((passed + 1)); else failures+=("lint"); failed=$((failed + 1)); fi

run_node_tests unit $(find lib components -name '*.test.ts' | sort)
run_node_tests integration $(find tests/integration -name '*.test.ts' | sort)

printf '\n▸ Build\n'
if npx next build > "$logs/build.log" 2>&1; then
  echo "✓ built"
  printf '\n▸ End-to-end (Chromium)\n'
  # Its own metadata database and queue prefix: jobs left over from the integration tests
  # (retries, automatic verifications) must not reach the e2e worker or its sweeper.
  e2e_db="${FERRY_TEST_DB}_e2e"
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS \"${e2e_db}\" WITH (FORCE)" postgres >/dev/null
  export DATABASE_URL="postgresql://postgres@127.0.0.1:5432/${e2e_db}" QUEUE_PREFIX="${QUEUE_PREFIX}_e2e"
  npx tsx scripts/migrate.ts >/dev/null
  npx playwright test 2>&1 | tee "$logs/e2e.log"
  # Playwright's summary lines ("  15 passed (1.2m)"), not worker log lines that end in "failed".
  record e2e "${PIPESTATUS[0]}" "$logs/e2e.log" '^ +[0-9]+ passed' '^ +[0-9]+ failed'
else
  tail -40 "$logs/build.log"; failures+=("build"); failed=$((failed + 1))
fi

echo
[ ${#failures[@]} -gt 0 ] && echo "Failed: ${failures[*]}"
echo "${passed} passed, ${failed} failed"
[ ${#failures[@]} -eq 0 ]
