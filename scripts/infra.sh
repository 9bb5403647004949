#!/usr/bin/env bash
# Local infrastructure for Sediment, without Docker:
#   - Apache Kafka (single node, KRaft combined mode), jars from Maven Central via
#     scripts/infra/kafka-pom.xml, run with `java -cp`;
#   - FerretDB (MongoDB wire protocol), built from the Go module proxy, over
#   - PostgreSQL from Debian's packages (scripts/install.sh installs it), its own cluster under
#     the data dir (docs/adr/0006: FerretDB's SQLite backend scans a collection per _id lookup).
#     FerretDB is patched (scripts/infra/ferretdb-<version>-pushdown.patch, docs/adr/0012) so that
#     `_id` lookups, ranges and sorted limits are index scans; its database uses the C collation.
#
# Usage: scripts/infra.sh up | down [--purge] | status | recollate
#   recollate: copies a FerretDB database made by an older version of this script (another
#   collation) into one with the C collation; run it with FerretDB stopped.
#
# Environment (defaults in brackets; relative paths are taken from the repository root):
#   SEDIMENT_CACHE_DIR [.cache]      downloaded jars and the built FerretDB binary
#   SEDIMENT_DATA_DIR  [.data]       data dirs kafka/, ferretdb/ and postgres/, logs/ (logs and pid files)
#   KAFKA_PORT [9092]  KAFKA_CONTROLLER_PORT [9093]  FERRETDB_PORT [27017]  POSTGRES_PORT [5433]
#   INFRA_TIMEOUT_SECONDS [120]      how long `up` waits for each service to become healthy
#   INFRA_STOP_GRACE_SECONDS [30]    how long `down` waits after SIGTERM before SIGKILL
#   KAFKA_VERSION [4.4.0]  FERRETDB_VERSION [v1.24.2]  KAFKA_HEAP_OPTS [-Xms256m -Xmx512m]
#   FERRETDB_GOGC [1000]  FERRETDB_GOMEMLIMIT [2GiB]   FerretDB's garbage collector (Go's GOGC, GOMEMLIMIT)
#   FERRETDB_BATCH_SIZE [1000]       rows per INSERT statement FerretDB sends PostgreSQL (its default: 100)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source "$ROOT/scripts/node-path.sh"

abspath() { case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$ROOT/$1" ;; esac; }

CACHE_DIR="$(abspath "${SEDIMENT_CACHE_DIR:-.cache}")"
DATA_DIR="$(abspath "${SEDIMENT_DATA_DIR:-.data}")"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
FERRETDB_PORT="${FERRETDB_PORT:-27017}"
POSTGRES_PORT="${POSTGRES_PORT:-5433}"
INFRA_TIMEOUT_SECONDS="${INFRA_TIMEOUT_SECONDS:-120}"
INFRA_STOP_GRACE_SECONDS="${INFRA_STOP_GRACE_SECONDS:-30}"
KAFKA_VERSION="${KAFKA_VERSION:-4.4.0}"
FERRETDB_VERSION="${FERRETDB_VERSION:-v1.24.2}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"

INFRA_DIR="$ROOT/scripts/infra"
KAFKA_POM="$INFRA_DIR/kafka-pom.xml"
KAFKA_LOG4J="$INFRA_DIR/kafka-log4j2.xml"
KAFKA_HOME="$CACHE_DIR/kafka/$KAFKA_VERSION"
KAFKA_LIBS="$KAFKA_HOME/libs"
KAFKA_DATA="$DATA_DIR/kafka"
KAFKA_PROPS="$KAFKA_DATA/server.properties"
FERRETDB_PATCH="$INFRA_DIR/ferretdb-$FERRETDB_VERSION-pushdown.patch"
# Keyed by the patch's hash, so that editing the patch rebuilds the binary.
if [[ -f "$FERRETDB_PATCH" ]]; then
  FERRETDB_HOME="$CACHE_DIR/ferretdb/$FERRETDB_VERSION-patch-$(sha256sum "$FERRETDB_PATCH" | cut -c1-12)"
else
  FERRETDB_HOME="$CACHE_DIR/ferretdb/$FERRETDB_VERSION"
fi
FERRETDB_BIN="$FERRETDB_HOME/ferretdb"
FERRETDB_DATA="$DATA_DIR/ferretdb"
LOG_DIR="$DATA_DIR/logs"
KAFKA_LOG="$LOG_DIR/kafka.log"
KAFKA_PID="$LOG_DIR/kafka.pid"
FERRETDB_LOG="$LOG_DIR/ferretdb.log"
FERRETDB_PID="$LOG_DIR/ferretdb.pid"
POSTGRES_DATA="$DATA_DIR/postgres"
POSTGRES_RUN="$DATA_DIR/postgres-run"
POSTGRES_LOG="$POSTGRES_RUN/postgres.log"
POSTGRES_DB="ferretdb"

log() { printf '[infra] %s\n' "$*"; }
err() { printf '[infra] ERROR: %s\n' "$*" >&2; }
die() { err "$*"; exit 1; }

now() { printf '%s\n' "${EPOCHREALTIME/,/.}"; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

need() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || die "'$tool' is required but not on PATH"
  done
}

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Prints the pid from pid file $1 if that process is alive and its command line contains $2.
live_pid() {
  local file="$1" marker="$2" pid
  [[ -f "$file" ]] || return 1
  pid="$(cat "$file" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$marker" || return 1
  printf '%s\n' "$pid"
}

# Like live_pid, for a process launched a moment ago: until its exec chain (subshell, nohup,
# setsid) reaches the server binary, its command line does not show the marker yet.
launched_pid() {
  local file="$1" marker="$2" i
  for i in $(seq 1 50); do
    live_pid "$file" "$marker" && return 0
    sleep 0.1
  done
  return 1
}

tail_log() {
  local file="$1"
  if [[ -f "$file" ]]; then
    err "last lines of $file:"
    tail -n 25 "$file" | sed 's/^/    /' >&2
  fi
}

# ---------------------------------------------------------------------------------------
# Kafka
# ---------------------------------------------------------------------------------------
KAFKA_MARKER="kafka.Kafka $KAFKA_PROPS"

kafka_pom_sum() { { sha256sum "$KAFKA_POM" | cut -d' ' -f1; printf '%s\n' "$KAFKA_VERSION"; } | sha256sum | cut -d' ' -f1; }

kafka_fetch() {
  local stamp="$KAFKA_HOME/.complete" sum
  sum="$(kafka_pom_sum)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$sum" && -d "$KAFKA_LIBS" ]]; then
    return 0
  fi
  need mvn
  local t0 tmp fetch_log="$LOG_DIR/kafka-fetch.log"
  t0="$(now)"
  log "kafka: fetching org.apache.kafka:kafka_2.13:$KAFKA_VERSION and its runtime dependencies with Maven (log: $fetch_log)"
  mkdir -p "$KAFKA_HOME"
  tmp="$KAFKA_HOME/libs.tmp.$$"
  rm -rf "$tmp"
  if ! mvn -B --no-transfer-progress -f "$KAFKA_POM" \
      dependency:copy-dependencies -DincludeScope=runtime \
      -Dkafka.version="$KAFKA_VERSION" -DoutputDirectory="$tmp" >"$fetch_log" 2>&1; then
    rm -rf "$tmp"
    tail_log "$fetch_log"
    die "kafka: Maven could not fetch the broker jars; read $fetch_log"
  fi
  [[ -f "$tmp/kafka_2.13-$KAFKA_VERSION.jar" ]] || die "kafka: kafka_2.13-$KAFKA_VERSION.jar missing after mvn; read $fetch_log"
  rm -rf "$KAFKA_LIBS"
  mv "$tmp" "$KAFKA_LIBS"
  printf '%s\n' "$sum" >"$stamp"
  log "kafka: $(find "$KAFKA_LIBS" -name '*.jar' | wc -l) jars in $KAFKA_LIBS, fetched in $(since "$t0")s"
}

kafka_write_props() {
  mkdir -p "$KAFKA_DATA/log-dirs"
  cat >"$KAFKA_PROPS" <<EOF
# Generated by scripts/infra.sh on every start; edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_DATA/log-dirs
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
auto.create.topics.enable=false
# Single node: every internal topic has one replica.
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# Tests join groups often: no 3 s wait for more members.
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=4
EOF
}

kafka_format() {
  # Format once per data dir; the cluster id is kept next to the data.
  [[ -f "$KAFKA_DATA/log-dirs/meta.properties" ]] && return 0
  local cid_file="$KAFKA_DATA/cluster-id" cid t0
  if [[ -s "$cid_file" ]]; then
    cid="$(cat "$cid_file")"
  else
    # 16 random bytes, URL-safe base64 without padding (22 chars), not starting with '-'.
    cid="-"
    while [[ "$cid" == -* ]]; do
      cid="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    done
    printf '%s\n' "$cid" >"$cid_file"
  fi
  t0="$(now)"
  if ! java -Xmx256m -Dlog4j2.configurationFile="$KAFKA_LOG4J" -cp "$KAFKA_LIBS/*" \
      kafka.tools.StorageTool format -t "$cid" -c "$KAFKA_PROPS" >>"$KAFKA_LOG" 2>&1; then
    tail_log "$KAFKA_LOG"
    die "kafka: formatting $KAFKA_DATA/log-dirs failed; read $KAFKA_LOG"
  fi
  log "kafka: formatted $KAFKA_DATA/log-dirs (cluster id $cid) in $(since "$t0")s"
}

kafka_probe() { # $1 timeout seconds, $2 optional pid
  local args=(--brokers "127.0.0.1:$KAFKA_PORT" --timeout "$1")
  [[ -n "${2:-}" ]] && args+=(--pid "$2")
  node "$INFRA_DIR/wait-kafka.mjs" "${args[@]}"
}

kafka_start() { # sets KAFKA_STARTED_PID, KAFKA_T0; starts nothing if already running
  KAFKA_STARTED_PID=""
  local pid
  if pid="$(live_pid "$KAFKA_PID" "$KAFKA_MARKER")"; then
    KAFKA_STARTED_PID="$pid"
    return 0
  fi
  rm -f "$KAFKA_PID"
  local port
  for port in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    if port_open "$port"; then
      die "kafka: port $port is already in use by a process this script did not start under $DATA_DIR (set KAFKA_PORT / KAFKA_CONTROLLER_PORT, or stop it)"
    fi
  done
  need java
  kafka_fetch
  kafka_write_props
  kafka_format
  printf '\n===== scripts/infra.sh up: starting Kafka %s at %s =====\n' "$KAFKA_VERSION" "$(date -Is)" >>"$KAFKA_LOG"
  KAFKA_T0="$(now)"
  # shellcheck disable=SC2086 # KAFKA_HEAP_OPTS is a list of JVM options
  (cd "$KAFKA_DATA" && exec nohup setsid java $KAFKA_HEAP_OPTS -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError \
      -Djava.awt.headless=true -Dlog4j2.configurationFile="$KAFKA_LOG4J" -Dkafka.logs.dir="$LOG_DIR" \
      -cp "$KAFKA_LIBS/*" kafka.Kafka "$KAFKA_PROPS" </dev/null >>"$KAFKA_LOG" 2>&1) &
  pid=$!
  printf '%s\n' "$pid" >"$KAFKA_PID"
  KAFKA_STARTED_PID="$pid"
  log "kafka: started Kafka $KAFKA_VERSION (pid $pid) on 127.0.0.1:$KAFKA_PORT, controller :$KAFKA_CONTROLLER_PORT; log $KAFKA_LOG"
}

# ---------------------------------------------------------------------------------------
# FerretDB
# ---------------------------------------------------------------------------------------
FERRETDB_MARKER="--listen-addr=127.0.0.1:$FERRETDB_PORT"

ferretdb_build() {
  if [[ -x "$FERRETDB_BIN" ]] && "$FERRETDB_BIN" --version >/dev/null 2>&1; then
    return 0
  fi
  need go
  local t0 build_log="$LOG_DIR/ferretdb-build.log" moddir src
  t0="$(now)"
  log "ferretdb: building FerretDB $FERRETDB_VERSION from the Go module proxy (log: $build_log)"
  mkdir -p "$FERRETDB_HOME"
  : >"$build_log"
  # The module zip lacks build/version/version.txt (generated from git in FerretDB's own
  # repository) and a binary built without it panics at start: build from a writable copy.
  moddir="$(GOFLAGS=-mod=mod GOWORK=off go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" 2>>"$build_log" \
    | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')" || true
  if [[ -z "$moddir" || ! -d "$moddir" ]]; then
    tail_log "$build_log"
    die "ferretdb: 'go mod download github.com/FerretDB/FerretDB@$FERRETDB_VERSION' failed; read $build_log"
  fi
  src="$FERRETDB_HOME/src.$$"
  rm -rf "$src"
  cp -R "$moddir" "$src"
  chmod -R u+w "$src"
  printf '%s\n' "$FERRETDB_VERSION" >"$src/build/version/version.txt"
  if [[ -f "$FERRETDB_PATCH" ]]; then
    need patch
    if ! patch -p1 --batch --forward -d "$src" -i "$FERRETDB_PATCH" >>"$build_log" 2>&1; then
      rm -rf "$src"
      tail_log "$build_log"
      die "ferretdb: $FERRETDB_PATCH does not apply to $FERRETDB_VERSION; read $build_log"
    fi
    log "ferretdb: applied $(basename "$FERRETDB_PATCH")"
  else
    log "ferretdb: WARNING: no $(basename "$FERRETDB_PATCH"): building $FERRETDB_VERSION unpatched, every _id lookup will scan its collection (docs/adr/0012)"
  fi
  if ! (cd "$src" && GOWORK=off GOFLAGS=-mod=readonly CGO_ENABLED=0 \
        go build -trimpath -buildvcs=false -o "$FERRETDB_BIN.tmp" ./cmd/ferretdb) >>"$build_log" 2>&1; then
    rm -rf "$src" "$FERRETDB_BIN.tmp"
    tail_log "$build_log"
    die "ferretdb: go build failed; read $build_log"
  fi
  rm -rf "$src"
  mv "$FERRETDB_BIN.tmp" "$FERRETDB_BIN"
  "$FERRETDB_BIN" --version >>"$build_log" 2>&1 || die "ferretdb: the built binary does not run; read $build_log"
  log "ferretdb: built $FERRETDB_BIN in $(since "$t0")s"
}

# PostgreSQL refuses to run as root: when we are root, its commands run as the 'postgres' user
# the Debian package creates, and its directories belong to that user.
pg_bin() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  [[ -n "$dir" && -x "$dir/pg_ctl" ]] || die "postgres: no PostgreSQL server found (Debian package 'postgresql'); run scripts/install.sh"
  printf '%s\n' "$dir"
}
as_pg() { if [[ "$(id -u)" -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

postgres_start() {
  local bin t0
  bin="$(pg_bin)"
  mkdir -p "$POSTGRES_DATA" "$POSTGRES_RUN"
  if [[ "$(id -u)" -eq 0 ]]; then chown postgres "$POSTGRES_DATA" "$POSTGRES_RUN"; chmod 700 "$POSTGRES_DATA"; fi
  if [[ ! -f "$POSTGRES_DATA/PG_VERSION" ]]; then
    as_pg "$bin/initdb" -D "$POSTGRES_DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$LOG_DIR/postgres-initdb.log" 2>&1 ||
      die "postgres: initdb failed; read $LOG_DIR/postgres-initdb.log"
  fi
  if as_pg "$bin/pg_ctl" -D "$POSTGRES_DATA" status >/dev/null 2>&1; then return 0; fi
  if port_open "$POSTGRES_PORT"; then
    die "postgres: port $POSTGRES_PORT is already in use by a process this script did not start under $DATA_DIR (set POSTGRES_PORT, or stop it)"
  fi
  t0="$(now)"
  # synchronous_commit=off: a commit does not wait for its WAL flush. PostgreSQL stays
  # crash-consistent (a crash loses at most the last few hundred ms of commits, in order), and
  # this database only holds the read model, which the projections rebuild from the log from
  # their checkpoints, which roll back with the documents (docs/adr/0014).
  # max_wal_size=8GB, checkpoint_timeout=15min: with the default 1 GB, a replay of 1,000,000
  # events checkpointed every 27 s, each followed by full-page images of every page touched.
  as_pg "$bin/pg_ctl" -D "$POSTGRES_DATA" -w -t "$INFRA_TIMEOUT_SECONDS" -l "$POSTGRES_LOG" \
    -o "-p $POSTGRES_PORT -k $POSTGRES_RUN -c listen_addresses=127.0.0.1 -c synchronous_commit=off -c max_wal_size=8GB -c checkpoint_timeout=15min -c shared_buffers=512MB" start >/dev/null ||
    { tail_log "$POSTGRES_LOG"; die "postgres: did not start; read $POSTGRES_LOG"; }
  if [[ -z "$(pg_sql postgres "SELECT 1 FROM pg_database WHERE datname = '$POSTGRES_DB'")" ]]; then
    postgres_createdb "$POSTGRES_DB"
  fi
  log "postgres: started on 127.0.0.1:$POSTGRES_PORT in $(since "$t0")s, data in $POSTGRES_DATA; log $POSTGRES_LOG"
}

pg_sql() { PGOPTIONS='-c client_min_messages=warning' as_pg "$(pg_bin)/psql" -h 127.0.0.1 -p "$POSTGRES_PORT" -U postgres -d "$1" -v ON_ERROR_STOP=1 -tAc "$2"; }

# jsonb strings compare by the database's collation. The C collation compares bytes: UTF-8 byte
# order, which is S3's listing order and the order FerretDB sorts in, so the patched FerretDB can
# answer `_id` ranges and sorts from the index (docs/adr/0012).
postgres_createdb() {
  as_pg "$(pg_bin)/createdb" -h 127.0.0.1 -p "$POSTGRES_PORT" -U postgres --template=template0 \
    --encoding=UTF8 --lc-collate=C --lc-ctype=C.UTF-8 "$1" || die "postgres: createdb $1 failed"
}

postgres_collation() { pg_sql postgres "SELECT datcollate FROM pg_database WHERE datname = '$POSTGRES_DB'"; }

# A database made by an older version of this script has the cluster's collation (C.UTF-8):
# recreated when FerretDB stored nothing in it (no schema of its own), refused otherwise.
postgres_ensure_c_collation() {
  local collation schemas
  collation="$(postgres_collation)"
  [[ "$collation" == C ]] && return 0
  if [[ -z "$collation" ]]; then
    postgres_createdb "$POSTGRES_DB"
    return 0
  fi
  schemas="$(pg_sql "$POSTGRES_DB" "SELECT count(*) FROM pg_namespace WHERE nspname NOT IN ('public', 'information_schema') AND nspname NOT LIKE 'pg\_%'")"
  if [[ "$schemas" == 0 ]]; then
    pg_sql postgres "DROP DATABASE \"$POSTGRES_DB\"" >/dev/null || die "postgres: could not drop the empty database $POSTGRES_DB"
    postgres_createdb "$POSTGRES_DB"
    log "postgres: recreated the empty database $POSTGRES_DB with the C collation (it had '$collation')"
    return 0
  fi
  die "postgres: database $POSTGRES_DB has the collation '$collation' and holds $schemas FerretDB database(s); the _id pushdown needs the C collation (docs/adr/0012). With FerretDB stopped ('scripts/infra.sh down' stops everything), run 'scripts/infra.sh recollate' to copy it into a C database; or remove $POSTGRES_DATA after 'down' and rebuild the read model with 'sediment replay'"
}

cmd_recollate() {
  if live_pid "$FERRETDB_PID" "$FERRETDB_MARKER" >/dev/null; then
    die "recollate: FerretDB is running; stop it first with 'scripts/infra.sh down'"
  fi
  mkdir -p "$LOG_DIR"
  postgres_start
  local collation old new="${POSTGRES_DB}_recollate" t0
  collation="$(postgres_collation)"
  if [[ "$collation" == C ]]; then
    log "recollate: $POSTGRES_DB already has the C collation"
    return 0
  fi
  old="${POSTGRES_DB}_before_recollate"
  t0="$(now)"
  pg_sql postgres "DROP DATABASE IF EXISTS \"$new\"" >/dev/null
  postgres_createdb "$new"
  # Indexes are rebuilt by the restore, so they are sorted by the new collation.
  if ! as_pg "$(pg_bin)/pg_dump" -h 127.0.0.1 -p "$POSTGRES_PORT" -U postgres "$POSTGRES_DB" |
      as_pg "$(pg_bin)/psql" -h 127.0.0.1 -p "$POSTGRES_PORT" -U postgres -d "$new" -v ON_ERROR_STOP=1 -q >"$LOG_DIR/recollate.log" 2>&1; then
    tail_log "$LOG_DIR/recollate.log"
    die "recollate: copying $POSTGRES_DB failed (it is unchanged); read $LOG_DIR/recollate.log"
  fi
  pg_sql postgres "ALTER DATABASE \"$POSTGRES_DB\" RENAME TO \"$old\"" >/dev/null
  pg_sql postgres "ALTER DATABASE \"$new\" RENAME TO \"$POSTGRES_DB\"" >/dev/null
  pg_sql postgres "DROP DATABASE \"$old\"" >/dev/null
  log "recollate: $POSTGRES_DB copied from collation '$collation' to 'C' in $(since "$t0")s"
}

postgres_stop() {
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  if [[ -z "$bin" || ! -f "$POSTGRES_DATA/PG_VERSION" ]] || ! as_pg "$bin/pg_ctl" -D "$POSTGRES_DATA" status >/dev/null 2>&1; then
    log "postgres: not running"
    return 0
  fi
  as_pg "$bin/pg_ctl" -D "$POSTGRES_DATA" -m fast -w stop >/dev/null && log "postgres: stopped"
}

ferretdb_probe() { # $1 timeout seconds, $2 optional pid
  local args=(--url "mongodb://127.0.0.1:$FERRETDB_PORT" --timeout "$1")
  [[ -n "${2:-}" ]] && args+=(--pid "$2")
  node "$INFRA_DIR/wait-mongo.mjs" "${args[@]}"
}

ferretdb_start() { # sets FERRETDB_STARTED_PID, FERRETDB_T0
  FERRETDB_STARTED_PID=""
  local pid
  if pid="$(live_pid "$FERRETDB_PID" "$FERRETDB_MARKER")"; then
    FERRETDB_STARTED_PID="$pid"
    return 0
  fi
  rm -f "$FERRETDB_PID"
  if port_open "$FERRETDB_PORT"; then
    die "ferretdb: port $FERRETDB_PORT is already in use by a process this script did not start under $DATA_DIR (set FERRETDB_PORT, or stop it)"
  fi
  ferretdb_build
  postgres_start
  postgres_ensure_c_collation
  mkdir -p "$FERRETDB_DATA"
  printf '\n===== scripts/infra.sh up: starting FerretDB %s at %s =====\n' "$FERRETDB_VERSION" "$(date -Is)" >>"$FERRETDB_LOG"
  FERRETDB_T0="$(now)"
  # GOGC=1000 with a 2 GiB soft limit: FerretDB's live heap is tens of MB, and at Go's default
  # (GOGC=100) a third of its CPU during bulk inserts was garbage collection. insertMany of
  # 200,000 object documents went from 27,000-28,000 to 43,000-44,000 documents/s (ADR 0014).
  # --test-batch-size=1000: FerretDB splits an insertMany into one INSERT statement (and one
  # transaction) per 100 documents by default. At 1,000, insertMany of 200,000 object documents
  # (batches of 1,000, 2 in flight) went from 27,600-28,100 to 37,000-39,000 documents/s.
  (cd "$FERRETDB_DATA" && GOGC="${FERRETDB_GOGC:-1000}" GOMEMLIMIT="${FERRETDB_GOMEMLIMIT:-2GiB}" exec nohup setsid "$FERRETDB_BIN" --handler=pg \
      --postgresql-url="postgres://postgres@127.0.0.1:$POSTGRES_PORT/$POSTGRES_DB" \
      "$FERRETDB_MARKER" --state-dir=- --debug-addr=- --telemetry=disable \
      --test-batch-size="${FERRETDB_BATCH_SIZE:-1000}" </dev/null >>"$FERRETDB_LOG" 2>&1) &
  pid=$!
  printf '%s\n' "$pid" >"$FERRETDB_PID"
  FERRETDB_STARTED_PID="$pid"
  log "ferretdb: started FerretDB $FERRETDB_VERSION (pid $pid) on 127.0.0.1:$FERRETDB_PORT over PostgreSQL :$POSTGRES_PORT; log $FERRETDB_LOG"
}

# ---------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------
# wait_healthy NAME PROBE_FN PID T0 LOGFILE
wait_healthy() {
  local name="$1" probe="$2" pid="$3" t0="$4" logfile="$5" rc=0 left
  left="$(awk -v t="$INFRA_TIMEOUT_SECONDS" -v a="$t0" -v b="$(now)" 'BEGIN { l = t - (b - a); printf "%d", (l < 1 ? 1 : l) }')"
  "$probe" "$left" "$pid" >/dev/null 2>"$LOG_DIR/.$name-probe.err" || rc=$?
  if [[ $rc -eq 0 ]]; then
    log "$name: healthy $(since "$t0")s after launch"
    rm -f "$LOG_DIR/.$name-probe.err"
    return 0
  fi
  tail_log "$logfile"
  if [[ $rc -eq 3 ]]; then
    rm -f "$LOG_DIR/$name.pid"
    err "$name: the process (pid $pid) died during startup; read $logfile"
  else
    err "$name: not healthy within ${INFRA_TIMEOUT_SECONDS}s ($(cat "$LOG_DIR/.$name-probe.err" 2>/dev/null || true)); read $logfile"
  fi
  return 1
}

# Runs ferretdb_start in a subshell (its `die` must not kill the Kafka probe running in the
# background), then reads back the pid it started.
ferretdb_start_checked() {
  local was_running=""
  live_pid "$FERRETDB_PID" "$FERRETDB_MARKER" >/dev/null && was_running=1
  if [[ -z "$was_running" ]]; then
    (ferretdb_build) || return 1
  fi
  FERRETDB_T0="$(now)"
  (ferretdb_start) || return 1
  FERRETDB_STARTED_PID="$(launched_pid "$FERRETDB_PID" "$FERRETDB_MARKER")" || {
    tail_log "$FERRETDB_LOG"
    err "ferretdb: the process died right after launch; read $FERRETDB_LOG"
    return 1
  }
}

need_probes() {
  need node
  [[ -f "$ROOT/node_modules/kafkajs/package.json" && -f "$ROOT/node_modules/mongodb/package.json" ]] ||
    die "the health probes need kafkajs and mongodb from node_modules: run 'npm ci' first"
}

cmd_up() {
  need_probes
  mkdir -p "$LOG_DIR" "$KAFKA_DATA" "$FERRETDB_DATA"
  local t0 kafka_was="" ferretdb_was="" failed=0
  t0="$(now)"

  # Already running and healthy: nothing to do.
  if live_pid "$KAFKA_PID" "$KAFKA_MARKER" >/dev/null && kafka_probe 5 >/dev/null 2>&1; then
    kafka_was=healthy
    log "kafka: already running and healthy (pid $(cat "$KAFKA_PID"), 127.0.0.1:$KAFKA_PORT)"
  fi
  if live_pid "$FERRETDB_PID" "$FERRETDB_MARKER" >/dev/null && ferretdb_probe 5 >/dev/null 2>&1; then
    ferretdb_was=healthy
    log "ferretdb: already running and healthy (pid $(cat "$FERRETDB_PID"), 127.0.0.1:$FERRETDB_PORT)"
    ferretdb_warn_stale
  fi
  if [[ -n "$kafka_was" && -n "$ferretdb_was" ]]; then
    return 0
  fi

  # Launch Kafka first (the JVM is the slow one) and probe it in the background while
  # FerretDB is built/launched; each reports its own time to healthy.
  local kafka_wait="" ferretdb_wait=""
  if [[ -z "$kafka_was" ]]; then
    if live_pid "$KAFKA_PID" "$KAFKA_MARKER" >/dev/null; then
      log "kafka: running (pid $(cat "$KAFKA_PID")) but not healthy yet; waiting"
    fi
    KAFKA_T0="$(now)"
    kafka_start
    wait_healthy kafka kafka_probe "$KAFKA_STARTED_PID" "$KAFKA_T0" "$KAFKA_LOG" &
    kafka_wait=$!
  fi
  if [[ -z "$ferretdb_was" ]]; then
    if live_pid "$FERRETDB_PID" "$FERRETDB_MARKER" >/dev/null; then
      log "ferretdb: running (pid $(cat "$FERRETDB_PID")) but not healthy yet; waiting"
    fi
    if ! ferretdb_start_checked; then
      failed=1
    else
      wait_healthy ferretdb ferretdb_probe "$FERRETDB_STARTED_PID" "$FERRETDB_T0" "$FERRETDB_LOG" &
      ferretdb_wait=$!
    fi
  fi
  if [[ -n "$kafka_wait" ]]; then wait "$kafka_wait" || failed=1; fi
  if [[ -n "$ferretdb_wait" ]]; then wait "$ferretdb_wait" || failed=1; fi
  if [[ $failed -ne 0 ]]; then
    err "infrastructure is NOT up (still-running services are left as they are; 'scripts/infra.sh down' stops them)"
    exit 1
  fi
  log "up in $(since "$t0")s: KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT MONGO_URL=mongodb://127.0.0.1:$FERRETDB_PORT"
}

# A FerretDB started before the patch (or its hash) changed keeps running the old binary.
ferretdb_warn_stale() {
  local pid exe
  pid="$(live_pid "$FERRETDB_PID" "$FERRETDB_MARKER")" || return 0
  exe="$(readlink "/proc/$pid/exe" 2>/dev/null || true)"
  if [[ -n "$exe" && "$exe" != "$FERRETDB_BIN" ]]; then
    log "ferretdb: WARNING: pid $pid runs $exe, not the current build $FERRETDB_BIN; to switch: kill $pid, then 'scripts/infra.sh up'"
  fi
}

stop_one() { # NAME PIDFILE MARKER
  local name="$1" file="$2" marker="$3" pid i
  if ! pid="$(live_pid "$file" "$marker")"; then
    rm -f "$file"
    log "$name: not running"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < INFRA_STOP_GRACE_SECONDS * 5; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name: pid $pid still alive after ${INFRA_STOP_GRACE_SECONDS}s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
  fi
  rm -f "$file"
  log "$name: stopped (pid $pid)"
}

cmd_down() {
  local purge=0
  for a in "$@"; do
    case "$a" in
      --purge) purge=1 ;;
      *) die "unknown option for down: $a" ;;
    esac
  done
  stop_one kafka "$KAFKA_PID" "$KAFKA_MARKER"
  stop_one ferretdb "$FERRETDB_PID" "$FERRETDB_MARKER"
  postgres_stop
  if [[ $purge -eq 1 ]]; then
    rm -rf "$KAFKA_DATA" "$FERRETDB_DATA" "$POSTGRES_DATA" "$POSTGRES_RUN" "$LOG_DIR"
    rmdir "$DATA_DIR" 2>/dev/null || true
    log "purged $KAFKA_DATA, $FERRETDB_DATA, $POSTGRES_DATA and $LOG_DIR"
  fi
}

cmd_status() {
  local rc=0 pid
  need_probes
  if pid="$(live_pid "$KAFKA_PID" "$KAFKA_MARKER")"; then
    if kafka_probe 5 >/dev/null 2>&1; then
      log "kafka:    healthy   pid $pid  127.0.0.1:$KAFKA_PORT (Kafka $KAFKA_VERSION)  log $KAFKA_LOG"
    else
      log "kafka:    UNHEALTHY pid $pid  127.0.0.1:$KAFKA_PORT  log $KAFKA_LOG"; rc=1
    fi
  else
    log "kafka:    stopped"; rc=1
  fi
  if as_pg "$(pg_bin)/pg_isready" -h 127.0.0.1 -p "$POSTGRES_PORT" -q 2>/dev/null; then
    log "postgres: healthy   127.0.0.1:$POSTGRES_PORT  data $POSTGRES_DATA  log $POSTGRES_LOG"
  else
    log "postgres: stopped"; rc=1
  fi
  if pid="$(live_pid "$FERRETDB_PID" "$FERRETDB_MARKER")"; then
    if ferretdb_probe 5 >/dev/null 2>&1; then
      log "ferretdb: healthy   pid $pid  127.0.0.1:$FERRETDB_PORT (FerretDB $FERRETDB_VERSION)  log $FERRETDB_LOG"
      ferretdb_warn_stale
    else
      log "ferretdb: UNHEALTHY pid $pid  127.0.0.1:$FERRETDB_PORT  log $FERRETDB_LOG"; rc=1
    fi
  else
    log "ferretdb: stopped"; rc=1
  fi
  return $rc
}

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  down) shift; cmd_down "$@" ;;
  status) shift; cmd_status "$@" ;;
  recollate) shift; cmd_recollate "$@" ;;
  *)
    echo "usage: $0 up | down [--purge] | status | recollate" >&2
    exit 2
    ;;
esac
