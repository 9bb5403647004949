#!/usr/bin/env bash
# Installs the project's npm dependencies exactly as locked, unless they already are.
# Kafka's jars and the FerretDB binary are fetched and built by scripts/infra.sh up.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

for tool in node npm java mvn go; do
  command -v "$tool" >/dev/null 2>&1 || { echo "[install] ERROR: '$tool' is required (Node 20, Java 17 + Maven, Go)" >&2; exit 1; }
done
stamp=node_modules/.sediment-lock-stamp
if [ -f "$stamp" ] && cmp -s package-lock.json "$stamp"; then
  echo "[install] npm dependencies up to date"
else
  npm ci --no-audit --no-fund
  cp package-lock.json "$stamp"
fi
