#!/usr/bin/env bash
# The soak, opt-in and separate from bench/run.sh: builds Release, starts throw-away redis-server and
# rabbitmq-server on loopback, the fake WeCom/OA APIs (for the gateway's enrichment) and the gateway
# (Production, servers mode, Gateway role; bench/gateway-env.sh), then sends mixed callbacks at a steady rate
# for BENCH_SOAK_MINUTES while a consumer reads every event from a queue bound to their exchanges
# (WecomBridge.Bench soak). At the same time it posts BENCH_SOAK_SENDS template messages per second to
# POST /api/v1/messages of a second WecomBridge process with the Dispatcher role, which the bench starts itself
# against fakes hosted in the bench process (bench/WecomBridge.Bench/SoakSends.cs; 0 = no sends, no dispatcher).
# Samples the gateway's and the dispatcher's working set, latency, GC pauses and CPU every BENCH_SOAK_INTERVAL
# seconds, checks at the end that no event of a callback answered 200 is missing or duplicated and that every
# accepted send reached a final state, none created twice at the fake, and writes
# BENCH_SOAK_OUT (default docs/benchmarks-soak.md) with its chart (same name, .svg). When docs/benchmarks.md
# has a soak section (<!-- soak:begin --> … <!-- soak:end -->, written by bench/report.sh) it is updated too.
#
#   bench/soak.sh                                  # 30 minutes at 200 callbacks/s and 20 sends/s, a line every 30 s
#   BENCH_SOAK_MINUTES=2 BENCH_SOAK_INTERVAL=10 bench/soak.sh   # a short check
#   BENCH_SOAK_RATE=400 bench/soak.sh              # another steady rate
#   BENCH_SOAK_SENDS=0 bench/soak.sh               # callbacks only (no dispatcher), as before issue #7
#   BENCH_SOAK_OUT=docs/x.md BENCH_SOAK_NOTE='…' …  # elsewhere, with a note under the title
#   BENCH_SOAK_RESULTS=/tmp/r.txt …                # keep the raw SOAK lines (else in a temporary folder, removed)
#   BENCH_SOAK_TMPDIR=/dev/shm bench/soak.sh       # RabbitMQ's and Redis's data (and the spool) on tmpfs: no disk
#                                                  # syncs; an experiment to tell broker fsync stalls from the rest
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES=${BENCH_SOAK_MINUTES:-30}
RATE=${BENCH_SOAK_RATE:-200}
INTERVAL=${BENCH_SOAK_INTERVAL:-30}
SENDS=${BENCH_SOAK_SENDS:-20}
OUT=${BENCH_SOAK_OUT:-docs/benchmarks-soak.md}
SVG=${OUT%.md}.svg

LOADAVG=$(cut -d' ' -f1-3 /proc/loadavg)
STARTED=$(date -u '+%Y-%m-%d %H:%M UTC')
TMP=$(mktemp -d "${BENCH_SOAK_TMPDIR:-/tmp}/wb-soak.XXXXXX")
RESULTS=${BENCH_SOAK_RESULTS:-$TMP/results.txt}
GW_PID="" FAKES_PID=""
BENCH="dotnet bench/WecomBridge.Bench/bin/Release/net10.0/WecomBridge.Bench.dll"
source bench/gateway-env.sh

cleanup() {
  stop_gateway
  stop_fakes
  scripts/servers.sh rabbitmq-stop "$TMP/rabbitmq" || true
  scripts/servers.sh redis-stop "$TMP/redis" || true
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log() { echo "soak: $*" >&2; }

log "building Release"
dotnet build -c Release bench/WecomBridge.Bench -v q -nologo >/dev/null

scripts/servers.sh install
REDIS_PORT=$(scripts/servers.sh free-port)
RABBIT_PORT=$(scripts/servers.sh free-port)
log "starting redis on $REDIS_PORT and rabbitmq on $RABBIT_PORT"
scripts/servers.sh redis-start "$TMP/redis" "$REDIS_PORT"
scripts/servers.sh rabbitmq-start "$TMP/rabbitmq" "$RABBIT_PORT"
AMQP="amqp://guest:guest@127.0.0.1:$RABBIT_PORT/"

log "starting the fake WeCom/OA APIs and the gateway"
start_fakes "$TMP/fakes"
gateway_env "$AMQP" "127.0.0.1:$REDIS_PORT" "$TMP/spool"
start_gateway "$TMP/gateway.log"
BEAM_PID=$(beam_pid "$RABBIT_PORT") REDIS_PID=$(cat "$TMP/redis/redis.pid")

log "$MINUTES min at $RATE callbacks/s and $SENDS sends/s (a line every $INTERVAL s)"
$BENCH soak --url "$GW_URL" --amqp "$AMQP" --rate "$RATE" --minutes "$MINUTES" --interval "$INTERVAL" --pid "$GW_PID" \
  --sends-per-s "$SENDS" --redis "127.0.0.1:$REDIS_PORT" --dispatcher-log "$TMP/dispatcher.log" --gc "fakes:$FAKES_PID" --watch "gateway:$GW_PID,rabbit:$BEAM_PID,redis:$REDIS_PID,fakes:$FAKES_PID" \
  | tee "$RESULTS" | awk '/^SOAK/ { print substr($0, 1, 160); fflush() }' >&2
echo "CLK name=clk clk=$(getconf CLK_TCK)" >> "$RESULTS"

# What else the run left: queues (enrichment backlog, dead letters), spool, gateway warnings and errors.
{ rabbitmqctl -q -n "wb-$RABBIT_PORT@localhost" list_queues name messages 2>/dev/null || true; } \
  | awk 'NF == 2 && $2 ~ /^[0-9]+$/ { printf "QUEUE name=%s messages=%s\n", $1, $2 }' >> "$RESULTS"
for name in gateway dispatcher; do
  f=$TMP/$name.log; [ -f "$f" ] || continue
  echo "LOG name=$name warn=$(grep -c '^warn:' "$f" || true) fail=$(grep -c '^fail:' "$f" || true) crit=$(grep -c '^crit:' "$f" || true)" >> "$RESULTS"
  { grep -E '^(warn|fail|crit):' -A1 "$f" || true; } | { grep -vE '^(warn|fail|crit):|^--' || true; } | sed 's/[0-9a-f]\{32\}/<id>/g; s/[0-9]\+/N/g' \
    | sort | uniq -c | sort -rn | head -8 | awk -v n="$name" '{ $1 = $1; print "LOGMSG " n ": " $0 }' >> "$RESULTS"
done
stop_gateway

log "writing $OUT and $SVG"
mkdir -p "$(dirname "$OUT")"
ENDED=$(date -u '+%Y-%m-%d %H:%M UTC')
$BENCH plot-soak --results "$RESULTS" --out "$SVG" \
  --caption "bench/soak.sh, $STARTED, $MINUTES min at $RATE callbacks/s + $SENDS sends/s, $(nproc) CPUs, load average at start $LOADAVG"
BENCH_RESULTS=$RESULTS BENCH_LOADAVG=$LOADAVG BENCH_LOADAVG_END=$(cut -d' ' -f1-3 /proc/loadavg) BENCH_STARTED=$STARTED \
  BENCH_ENDED=$ENDED BENCH_SVG=$(basename "$SVG") bench/report-soak.sh full > "$OUT"
if [ "$OUT" = docs/benchmarks-soak.md ] && grep -q '<!-- soak:begin -->' docs/benchmarks.md 2>/dev/null; then
  bench/report-soak.sh section > "$TMP/section.md"
  awk -v f="$TMP/section.md" '/<!-- soak:begin -->/ { while ((getline l < f) > 0) print l; skip = 1; next }
    /<!-- soak:end -->/ { skip = 0; next } !skip' docs/benchmarks.md > "$TMP/benchmarks.md"
  cp "$TMP/benchmarks.md" docs/benchmarks.md
  log "updated the soak section of docs/benchmarks.md"
fi
grep '^SOAKSUM' "$RESULTS" >&2
log "done: $OUT"
