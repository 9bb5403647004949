#!/usr/bin/env bash
# Command one: install what is needed, start Kafka and FerretDB, build and run Sediment.
# The S3 endpoint is http://127.0.0.1:${SEDIMENT_PORT:-9000}. Ctrl-C stops the service;
# `scripts/infra.sh down` stops the infrastructure.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

bash scripts/install.sh
bash scripts/infra.sh up
npm run --silent build

# Local development credentials; set your own in the environment for anything shared.
export SEDIMENT_ROOT_ACCESS_KEY_ID="${SEDIMENT_ROOT_ACCESS_KEY_ID:-SEDIMENTLOCALROOT01}"
export SEDIMENT_ROOT_SECRET_ACCESS_KEY="${SEDIMENT_ROOT_SECRET_ACCESS_KEY:-sediment-local-root-secret-change-me}"
# The master key seals every IAM user's secret key; generated once per checkout, kept in .data/.
MASTER_KEY_FILE="$ROOT/.data/master.key"
if [ -z "${SEDIMENT_MASTER_KEY:-}" ]; then
  if [ ! -s "$MASTER_KEY_FILE" ]; then
    mkdir -p "$ROOT/.data"
    (umask 077 && node -e "process.stdout.write(require('crypto').randomBytes(32).toString('base64'))" > "$MASTER_KEY_FILE")
  fi
  SEDIMENT_MASTER_KEY="$(cat "$MASTER_KEY_FILE")"
fi
export SEDIMENT_MASTER_KEY
export KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:${KAFKA_PORT:-9092}}"
export MONGO_URL="${MONGO_URL:-mongodb://127.0.0.1:${FERRETDB_PORT:-27017}}"
export SEDIMENT_BLOB_DIR="${SEDIMENT_BLOB_DIR:-$ROOT/.data/blobs}"

echo "[sediment] access key id: $SEDIMENT_ROOT_ACCESS_KEY_ID"
echo "[sediment] secret key:    $SEDIMENT_ROOT_SECRET_ACCESS_KEY"
exec node dist/main.js
