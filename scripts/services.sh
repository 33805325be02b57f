#!/usr/bin/env bash
# Make sure PostgreSQL and Redis answer on loopback; start the local Debian services if they are down.
# Sourced by scripts/demo.sh, scripts/test.sh and .ci/run.
set -euo pipefail

pg_up() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }
redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }

ensure_postgres() {
  if pg_up; then return 0; fi
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    local v
    v=$(ls /etc/postgresql | sort -V | tail -n 1)
    echo "Starting PostgreSQL $v..."
    pg_ctlcluster --skip-systemctl-redirect "$v" main start || true
    for _ in $(seq 1 30); do pg_up && return 0; sleep 1; done
  fi
  echo "PostgreSQL is not reachable on 127.0.0.1:5432." >&2
  echo "Without a local PostgreSQL and Redis, run the whole product with: docker compose up" >&2
  return 1
}

ensure_redis() {
  if redis_up; then return 0; fi
  if command -v redis-server >/dev/null; then
    echo "Starting Redis..."
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
    for _ in $(seq 1 30); do redis_up && return 0; sleep 1; done
  fi
  echo "Redis is not reachable on 127.0.0.1:6379." >&2
  echo "Without a local PostgreSQL and Redis, run the whole product with: docker compose up" >&2
  return 1
}

# Creates the database named in $1 (a postgres URL) if it does not exist.
ensure_database() {
  local url=$1 name admin
  name=$(node -e 'console.log(new URL(process.argv[1]).pathname.slice(1))' "$url")
  admin=$(node -e 'const u=new URL(process.argv[1]);u.pathname="/postgres";console.log(u.toString())' "$url")
  if ! psql "$admin" -tAc "SELECT 1 FROM pg_database WHERE datname='$name'" | grep -q 1; then
    psql "$admin" -qc "CREATE DATABASE \"$name\"" >/dev/null
    echo "Created database $name"
  fi
}
