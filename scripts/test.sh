#!/usr/bin/env bash
# Command two: the whole test suite (unit, integration, e2e) against real Kafka and FerretDB,
# which it starts if they are not running. Infrastructure it started is stopped at the end.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

bash scripts/install.sh
source "$ROOT/scripts/node-path.sh"
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
# The floors of src/ (.dependency-cruiser.cjs) and the lint rules: a new violation fails here.
npm run --silent deps
npm run --silent lint
npm run --silent build

results="$ROOT/.data/test-results"
rm -rf "$results" && mkdir -p "$results"
failed=0
# Fuzz targets run FUZZ_SECONDS (3) each here; `npm run fuzz` runs each for ten minutes.
for tier in unit int e2e fuzz; do
  npm run --silent "test:$tier" -- --json --outputFile="$results/$tier.json" || failed=1
done
# One closing line over all tiers, in the plain form CI reads.
node -e '
  const fs = require("fs"); let passed = 0, failedTests = 0;
  for (const f of fs.readdirSync(process.argv[1])) {
    const r = JSON.parse(fs.readFileSync(process.argv[1] + "/" + f, "utf8"));
    passed += r.numPassedTests; failedTests += r.numFailedTests + r.numRuntimeErrorTestSuites;
  }
  console.log(`Tests: ${passed} passed, ${failedTests} failed`);
' "$results"
echo "[test] whole suite took $(( $(date +%s) - start )) s"
exit "$failed"
