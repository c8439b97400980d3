#!/usr/bin/env bash
# Two Parley nodes and an nginx load balancer on one machine (issue 8).
#
#   examples/cluster/run.sh            then open http://127.0.0.1:8080/?as=alice and ?as=bob
#
# Needs PostgreSQL, Redis and nginx (Debian: apt-get install postgresql redis-server nginx).
# Settings (environment): DATABASE_URL (default postgres://postgres@127.0.0.1:5432/parley_cluster,
# created if missing), REDIS_URL (default redis://127.0.0.1:6379), PARLEY_JWT_SECRET (default:
# generated for this run; every node must share it), PARLEY_DEMO (default 1: demo page + tokens).
# Ctrl-C stops everything: the nodes get SIGTERM and shut down gracefully.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CLI="$ROOT/packages/server/dist/cli.js"
RUN_DIR="$(mktemp -d "${TMPDIR:-/tmp}/parley-cluster.XXXXXX")"

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/parley_cluster}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
export PARLEY_JWT_SECRET="${PARLEY_JWT_SECRET:-$(node -e "console.log(require('crypto').randomBytes(32).toString('base64url'))")}"
export PARLEY_DEMO="${PARLEY_DEMO:-1}"
export HOST=127.0.0.1

for tool in nginx psql redis-cli; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is not installed" >&2; exit 1; }
done
redis-cli -u "$REDIS_URL" ping >/dev/null || { echo "run.sh: Redis does not answer at $REDIS_URL" >&2; exit 1; }

if [ ! -f "$CLI" ]; then
  echo "Building the server…"
  (cd "$ROOT" && npm run build -w @parley/sdk -w @parley/widget -w @parley/server >/dev/null)
fi

# Create the database if needed, then migrate once, before any node starts
# (nodes starting together would race for the migration lock).
DB_NAME="${DATABASE_URL##*/}"; DB_NAME="${DB_NAME%%\?*}"
ADMIN_URL="${DATABASE_URL%/*}/postgres"
if ! psql "$ADMIN_URL" -tAc "select 1 from pg_database where datname = '$DB_NAME'" | grep -q 1; then
  psql "$ADMIN_URL" -qc "create database \"$DB_NAME\""
fi
node "$CLI" migrate

PIDS=()
cleanup() {
  trap - INT TERM EXIT
  echo "Stopping…"
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait || true
  rm -rf "$RUN_DIR"
}
trap cleanup INT TERM EXIT

start_node() { # name port
  PORT="$2" node "$CLI" serve >"$RUN_DIR/node-$1.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$2/readyz" >/dev/null 2>&1 && { echo "node $1 ready on :$2 (log: $RUN_DIR/node-$1.log)"; return; }
    sleep 0.1
  done
  echo "run.sh: node $1 did not become ready; see $RUN_DIR/node-$1.log" >&2
  exit 1
}

# One after the other: with PARLEY_DEMO each node seeds the demo users at start.
start_node A 3001
start_node B 3002

mkdir -p "$RUN_DIR/tmp"
nginx -e stderr -p "$RUN_DIR" -c "$HERE/nginx.conf" &
PIDS+=($!)
echo "load balancer on http://127.0.0.1:8080  (open /?as=alice and /?as=bob; Ctrl-C stops)"
wait
