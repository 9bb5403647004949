#!/usr/bin/env bash
# Installs the project's npm dependencies exactly as locked, unless they already are.
# Kafka's jars and the FerretDB binary are fetched and built by scripts/infra.sh up.
# Sediment runs on the Node that package.json pins (the `node` devDependency, Node 24 from the
# npm registry): any Node ≥ 20 with npm can install it. scripts/node-path.sh puts it first on PATH.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

for tool in node npm java mvn go; do
  command -v "$tool" >/dev/null 2>&1 || { echo "[install] ERROR: '$tool' is required (Node ≥ 20 with npm, Java 17 + Maven, Go)" >&2; exit 1; }
done
stamp=node_modules/.sediment-lock-stamp
if [ -f "$stamp" ] && cmp -s package-lock.json "$stamp"; then
  echo "[install] npm dependencies up to date"
else
  npm ci --no-audit --no-fund
  cp package-lock.json "$stamp"
fi
pinned="$(node -p 'require("./package.json").devDependencies.node')"
actual="$(node_modules/node/bin/node --version 2>/dev/null || true)"
[ "$actual" = "v$pinned" ] || { echo "[install] ERROR: node_modules/node/bin/node is '${actual:-missing}', not the pinned v$pinned; remove node_modules and run again" >&2; exit 1; }

# From Debian's packages: PostgreSQL (FerretDB's storage, docs/adr/0006), the awscli and boto3
# (real clients the e2e tests drive), and Chromium, the headless browser the web console's e2e
# test drives through puppeteer-core (no browser is downloaded from elsewhere).
missing=()
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing+=(postgresql)
[ -x /usr/bin/aws ] || missing+=(awscli)
/usr/bin/python3 -c 'import boto3' >/dev/null 2>&1 || missing+=(python3-boto3)
/usr/bin/python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || missing+=(python3-venv)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "[install] installing Debian packages: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null \
      || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; }
  else
    echo "[install] ERROR: Debian packages ${missing[*]} are needed; install them as root: apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

# A current boto3 from PyPI beside Debian's (1.26, which still presigns with SigV2): the e2e tests
# drive both, so conditional writes and the checksum types newer SDKs send by default (boto3 1.36
# and later) are exercised as well, with the CRT for CRC32C and CRC64NVME. One virtualenv per
# pinned version, under the cache.
BOTO3_VERSION="$(node -p 'require("./package.json").testClients.boto3')"
venv="$(node -p 'require("path").resolve(process.env.SEDIMENT_CACHE_DIR || ".cache")')/python/boto3-$BOTO3_VERSION"
if "$venv/bin/python" -c "import awscrt, boto3, sys; sys.exit(boto3.__version__ != '$BOTO3_VERSION')" >/dev/null 2>&1; then
  echo "[install] boto3 $BOTO3_VERSION up to date"
else
  echo "[install] installing boto3 $BOTO3_VERSION from PyPI into $venv"
  rm -rf "$venv"
  /usr/bin/python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "boto3[crt]==$BOTO3_VERSION"
fi
