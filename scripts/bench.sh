#!/usr/bin/env bash
# Benchmarks against the local services, on databases and a queue prefix of their own
# (ferry_bench, legacy_crm_bench, legacy_crm_bench_pg, new_crm_bench; Redis ferry_bench:*;
# the verification benchmark: ferry_bench_verify, verify_bench_*; Redis ferry_bench_verify:*;
# the plan benchmark: ferry_bench_plan, new_crm_plan_bench; Redis ferry_bench_plan:*).
# Result lines (JSON) go to stdout, setup and progress to stderr; a missed target is a
# "TARGET MISSED: …" line on stderr, not a failure (the exit code is non-zero only on a crash,
# or when the verification benchmark counts differences wrongly: a "COUNT MISMATCH: …" line).
# Usage: scripts/bench.sh     BENCH_CUSTOMERS=100000 scripts/bench.sh   (default 1,000,000)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >&2

export NODE_OPTIONS="${NODE_OPTIONS:-} --no-warnings=ExperimentalWarning"

printf '\n▸ Migration benchmark (%s customers)\n' "${BENCH_CUSTOMERS:-1000000}" >&2
npm run --silent bench:migrate -- --customers "${BENCH_CUSTOMERS:-1000000}"

printf '\n▸ Verification benchmark (%s customers)\n' "${BENCH_CUSTOMERS:-1000000}" >&2
npm run --silent bench:verify -- --customers "${BENCH_CUSTOMERS:-1000000}"

printf '\n▸ Sync benchmark (%s rows, polling / postgres-cdc / mariadb-cdc)\n' "${BENCH_SYNC_ROWS:-1000000}" >&2
npm run --silent bench:sync -- --rows "${BENCH_SYNC_ROWS:-1000000}"

printf '\n▸ Plan benchmark (%s customers, the whole legacy CRM)\n' "${BENCH_CUSTOMERS:-1000000}" >&2
npm run --silent bench:plan -- --customers "${BENCH_CUSTOMERS:-1000000}"
