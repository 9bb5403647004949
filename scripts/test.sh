#!/usr/bin/env bash
# Command two: the whole test suite (unit, integration, e2e) against real Kafka and FerretDB,
# which it starts if they are not running. Infrastructure it started is stopped at the end.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

bash scripts/install.sh
started=0
if ! bash scripts/infra.sh status >/dev/null 2>&1; then
  bash scripts/infra.sh up
  started=1
fi
cleanup() { if [ "$started" = 1 ] && [ "${KEEP_INFRA:-0}" != 1 ]; then bash scripts/infra.sh down || true; fi; }
trap cleanup EXIT

export KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:${KAFKA_PORT:-9092}}"
export MONGO_URL="${MONGO_URL:-mongodb://127.0.0.1:${FERRETDB_PORT:-27017}}"
start=$(date +%s)
npm run --silent typecheck
npm run --silent build
npm run --silent test:unit
npm run --silent test:int
npm run --silent test:e2e
echo "[test] whole suite passed in $(( $(date +%s) - start )) s"
