#!/usr/bin/env bash
# `npm test`: every test, in the order that fails fastest. Needs PostgreSQL and Redis on loopback
# (started here if they are local and down) and Debian's chromium for the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/services.sh
export NEXT_TELEMETRY_DISABLED=1

ensure_postgres
ensure_redis

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "prisma generate"
npx prisma generate >/dev/null
step "typecheck"
npx tsc --noEmit
step "lint"
npx eslint . --max-warnings 0
step "unit tests"
npx vitest run --project unit
step "integration tests (PostgreSQL, Redis)"
npx vitest run --project integration
step "build"
npx next build
step "end-to-end tests (Chromium)"
npx playwright test
