#!/usr/bin/env bash
# Opt-in, ~8 minutes: RabbitMQ stopped for 60 s under a steady open-loop stream of callbacks, with WeCom's retries of
# unanswered ones (`WecomBridge.Bench outage`, Outage.cs). Two runs, each on a fresh gateway (Release, Production,
# Gateway role, enrichment off) and a fresh spool:
#   1. steady: BENCH_OUTAGE_RATE (3000) callbacks/s for BENCH_OUTAGE_SECONDS (120) s, the broker away from 15 s for
#      BENCH_OUTAGE_HOLD (60) s, default spool bound: answers during the outage, drain rate, RSS/threads/GC, the queue read.
#   2. retry storm: the same with the spool bounded to BENCH_STORM_SPOOL_BYTES (8 MiB) so that it fills; callbacks it
#      refuses go unanswered and are retried every second until answered: the process must stay up and bounded.
# Writes BENCH_OUTAGE_OUT (docs/benchmarks-outage.md). All traffic stays on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
RATE=${BENCH_OUTAGE_RATE:-3000} SECS=${BENCH_OUTAGE_SECONDS:-120} HOLD=${BENCH_OUTAGE_HOLD:-60}
STORM_BYTES=${BENCH_STORM_SPOOL_BYTES:-8388608} OUT=${BENCH_OUTAGE_OUT:-docs/benchmarks-outage.md}
export BENCH_QUEUE_VERSION=${BENCH_QUEUE_VERSION:-2} BENCH_QUEUE_MODE=${BENCH_QUEUE_MODE:-lazy}
LOADAVG=$(cut -d' ' -f1-3 /proc/loadavg)
STARTED=$(date -u '+%Y-%m-%d %H:%M UTC')
BENCH="dotnet bench/WecomBridge.Bench/bin/Release/net10.0/WecomBridge.Bench.dll"
GW_PID=""
bench_before_stop() { [ -n "$GW_PID" ] && kill "$GW_PID" 2>/dev/null || true; }
log() { echo "outage: $*" >&2; }

source bench/servers-env.sh
bench_servers outage
WECOM_API=http://127.0.0.1:9/ OA_API=http://127.0.0.1:9/ # enrichment is off: no API is called
source bench/gateway-env.sh

# run NAME EXTRA_ENV...: one run on a fresh gateway; its lines go to $TMP/NAME.txt
run() {
  local name=$1; shift
  $BENCH bind-mixed --amqp "$AMQP" --queue bench.outage >/dev/null
  redis-cli -p "$REDIS_PORT" flushall >/dev/null 2>&1 || true
  gateway_env "$AMQP" "127.0.0.1:$REDIS_PORT" "$TMP/spool-$name"
  export Enrichment__Enabled=false "$@"
  start_gateway "$TMP/gateway-$name.log"
  log "$name: $RATE callbacks/s for $SECS s, broker away from 15 s for $HOLD s (gateway pid $GW_PID)"
  $BENCH outage --name "$name" --url "$GW_URL" --amqp "$AMQP" --queue bench.outage --rate "$RATE" --seconds "$SECS" \
    --outage-at 15 --outage-seconds "$HOLD" --pid "$GW_PID" --retry-ms 1000 --drain-limit 240 \
    --stop-cmd "scripts/servers.sh rabbitmq-stop $TMP/rabbitmq" \
    --start-cmd "scripts/servers.sh rabbitmq-start $TMP/rabbitmq $RABBIT_PORT" | tee "$TMP/$name.txt" | grep -E '^(RESULT|PHASE)' >&2
  if kill -0 "$GW_PID" 2>/dev/null; then echo "ALIVE name=$name yes" >> "$TMP/$name.txt"
  else echo "ALIVE name=$name no" >> "$TMP/$name.txt"; tail -5 "$TMP/gateway-$name.log" | sed 's/^/LOG /' >> "$TMP/$name.txt"; fi
  stop_gateway
  unset Gateway__Spool__MaxBytes
}

run steady
run storm Gateway__Spool__MaxBytes="$STORM_BYTES"
LOADAVG_END=$(cut -d' ' -f1-3 /proc/loadavg)
bench/report-outage.sh "$TMP" "$STARTED" "$LOADAVG" "$LOADAVG_END" "$RATE" "$HOLD" "$STORM_BYTES" > "$OUT"
log "wrote $OUT"
