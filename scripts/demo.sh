#!/usr/bin/env bash
# `npm run demo`: migrate, seed the demo org, build, and run web + worker in the foreground.
# Ctrl-C stops both. Settings come from .env (created with fresh random secrets on first run).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/services.sh
export NEXT_TELEMETRY_DISABLED=1
PORT=${PORT:-3000}

if [ ! -f .env ]; then
  secret() { node -e 'console.log(require("crypto").randomBytes(32).toString("hex"))'; }
  cat > .env <<ENV
# Created by npm run demo. Never commit this file.
DATABASE_URL=postgresql://postgres@127.0.0.1:5432/burnrate
REDIS_URL=redis://127.0.0.1:6379
APP_URL=http://localhost:${PORT}
NEXTAUTH_URL=http://localhost:${PORT}
NEXTAUTH_SECRET=$(secret)
ENCRYPTION_KEY=$(secret)
ENV
  echo "Wrote .env with new random secrets"
fi
set -a
# shellcheck disable=SC1091
source .env
set +a

ensure_postgres
ensure_redis
ensure_database "$DATABASE_URL"

[ -d node_modules ] || npm install --no-audit --no-fund
npx prisma generate >/dev/null
node bin/burnrate.mjs migrate
node bin/burnrate.mjs seed --demo

# Rebuild only when sources changed since the last build (Next's own cache makes rebuilds quick).
if [ ! -f .next/BUILD_ID ] || [ -n "$(find app components lib public next.config.ts package.json -newer .next/BUILD_ID -type f -print -quit 2>/dev/null)" ]; then
  npx next build
fi

pids=()
cleanup() {
  trap - INT TERM EXIT
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT

node --import tsx workers/index.ts &
pids+=($!)
node_modules/.bin/next start -p "$PORT" &
pids+=($!)

for _ in $(seq 1 60); do
  curl -fsS -o /dev/null "http://localhost:${PORT}/signin" 2>/dev/null && break
  sleep 1
done
cat <<MSG

  Burnrate is running at http://localhost:${PORT}
  Sign in as demo@burnrate.dev with password burnrate-demo
  (also finance@, ml@ and viewer@burnrate.dev, same password). Ctrl-C stops web and worker.

MSG
wait -n "${pids[@]}"
