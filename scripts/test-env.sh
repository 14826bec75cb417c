# Settings shared by every test run (sourced by scripts/test.sh and scripts/e2e.sh):
# own databases and queue prefix, fixed throwaway keys — never the ones in .env.
# FERRY_TEST_DB lets two test runs on one machine keep their job metadata apart.
export FERRY_TEST_DB="${FERRY_TEST_DB:-ferry_test}"
export DATABASE_URL="postgresql://postgres@127.0.0.1:5432/${FERRY_TEST_DB}"
export REDIS_URL="redis://127.0.0.1:6379"
# A queue prefix per run: two test runs on one machine never take each other's jobs.
export QUEUE_PREFIX="ferry_test_$$"
export FERRY_SECRET_KEY="dGVzdC1vbmx5LWtleS1mb3ItZmVycnktdGVzdHMhISE="
export SESSION_SECRET="test-only-session-secret-for-ferry-tests-0123456789"
# The built app runs in production mode, where COOKIE_SECURE defaults to true; tests speak plain HTTP.
export COOKIE_SECURE=false
# /api/metrics and the details of /api/health want it as a bearer token.
export METRICS_TOKEN="test-only-metrics-token"
# A run beside another one (e.g. NEXT_DIST_DIR=.next-ui) builds into its own folder.
export NEXT_DIST_DIR="${NEXT_DIST_DIR:-.next-test}"
export E2E_PORT="${E2E_PORT:-3100}"
# Uploaded and test CSV files (and their indexes): a folder per test database, never the demo's.
export FERRY_FILE_STORAGE="${FERRY_FILE_STORAGE:-${TMPDIR:-/tmp}/ferry-files-${FERRY_TEST_DB}}"
export NODE_OPTIONS="${NODE_OPTIONS:-} --no-warnings=ExperimentalWarning"
