#!/usr/bin/env bash
# Generates the Prisma client (lib/db/generated) from prisma/schema.prisma, offline.
# `prisma generate` needs no schema engine, but the CLI downloads one unless it is told
# where one is: any existing file will do.
set -euo pipefail
cd "$(dirname "$0")/.."
PRISMA_SCHEMA_ENGINE_BINARY="${PRISMA_SCHEMA_ENGINE_BINARY:-$(command -v node)}" npx prisma generate
