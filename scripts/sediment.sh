#!/usr/bin/env bash
# The `sediment` operator CLI (dist/cli/main.js) with the configuration scripts/start.sh gave the
# service of this checkout: the root credentials from .data/aws.env and the master key from
# .data/master.key, unless the environment already sets them. `npm run sediment -- <command>`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/node-path.sh"
if [ -z "${SEDIMENT_MASTER_KEY:-}" ] && [ -s "$ROOT/.data/master.key" ]; then
  SEDIMENT_MASTER_KEY="$(cat "$ROOT/.data/master.key")"
  export SEDIMENT_MASTER_KEY
fi
if [ -z "${SEDIMENT_ROOT_ACCESS_KEY_ID:-}" ] && [ -z "${SEDIMENT_ROOT_SECRET_ACCESS_KEY:-}" ] && [ -s "$ROOT/.data/aws.env" ]; then
  SEDIMENT_ROOT_ACCESS_KEY_ID="$(. "$ROOT/.data/aws.env" && printf '%s' "$AWS_ACCESS_KEY_ID")"
  SEDIMENT_ROOT_SECRET_ACCESS_KEY="$(. "$ROOT/.data/aws.env" && printf '%s' "$AWS_SECRET_ACCESS_KEY")"
  export SEDIMENT_ROOT_ACCESS_KEY_ID SEDIMENT_ROOT_SECRET_ACCESS_KEY
fi
export SEDIMENT_BLOB_DIR="${SEDIMENT_BLOB_DIR:-$ROOT/.data/blobs}"
exec node "$ROOT/dist/cli/main.js" "$@"
