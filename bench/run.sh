#!/usr/bin/env bash
# The one bench command: builds Release, starts throw-away redis-server and rabbitmq-server on loopback,
# measures the broker and HTTP ceilings, drives the gateway (Production, servers mode) at 8/64/128
# connections, measures the gateway's stages alone and the hot-path micro-benchmarks, and writes
# docs/benchmarks.md. BENCH_QUICK=1 shortens every run (smaller counts and time limits).
# All traffic stays on 127.0.0.1; every load run is bounded by a count and a time limit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
QUICK=${BENCH_QUICK:-0}
if [ "$QUICK" = 1 ]; then N_LOAD=8000; N_BROKER=20000; N_HTTP=30000; N_STAGE=5000; SECS=8
else N_LOAD=60000; N_BROKER=120000; N_HTTP=150000; N_STAGE=30000; SECS=20; fi

# The queues the bench declares (the ceilings' and the consumers' bound to event exchanges) are classic queues of this
# version and mode (QueueArguments.cs): version 2 unless set (1 for RabbitMQ 3.10's default), lazy unless set
# (`default` for 3.10's default mode, which stalls its publishers as its backlog grows).
export BENCH_QUEUE_VERSION=${BENCH_QUEUE_VERSION:-2} BENCH_QUEUE_MODE=${BENCH_QUEUE_MODE:-lazy}
LOADAVG=$(cut -d' ' -f1-3 /proc/loadavg)
STARTED=$(date -u '+%Y-%m-%d %H:%M UTC')
TMP=$(mktemp -d /tmp/wb-bench.XXXXXX)
RESULTS=$TMP/results.txt
GATEWAY_PID="" HTTP_PID=""

cleanup() {
  [ -n "$HTTP_PID" ] && kill "$HTTP_PID" 2>/dev/null || true
  [ -n "$GATEWAY_PID" ] && kill "$GATEWAY_PID" 2>/dev/null || true
  scripts/servers.sh rabbitmq-stop "$TMP/rabbitmq" || true
  scripts/servers.sh redis-stop "$TMP/redis" || true
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "bench: $*" >&2; }
wait_ready() { # url seconds
  local deadline=$((SECONDS + $2))
  until curl -fsS "$1" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || { log "$1 not ready within $2 s"; return 1; }
    sleep 0.3
  done
}
BENCH="dotnet bench/WecomBridge.Bench/bin/Release/net10.0/WecomBridge.Bench.dll"
run() { $BENCH "$@" | tee -a "$RESULTS" | grep -E '^(RESULT|CPU|STALLS|bound)' >&2; }
# field NAME KEY: a value from the RESULT line named NAME
field() { awk -v n="name=$1" -v k="$2" '$1=="RESULT" && $2==n { for (i=3;i<=NF;i++) { split($i,kv,"="); if (kv[1]==k) print kv[2] } }' "$RESULTS" | tail -1; }
rabbit_pid() { # the beam.smp of this run's node (RabbitMQ passes its settings through the environment)
  local p; for p in $(pgrep beam.smp || true); do
    grep -qz "^RABBITMQ_NODENAME=wb-$RABBIT_PORT@localhost\$" "/proc/$p/environ" 2>/dev/null && { echo "$p"; return; }
  done; echo 0
}

log "building Release"
dotnet build -c Release bench/WecomBridge.Bench -v q -nologo >/dev/null

scripts/servers.sh install
REDIS_PORT=$(scripts/servers.sh free-port)
RABBIT_PORT=$(scripts/servers.sh free-port)
log "starting redis on $REDIS_PORT and rabbitmq on $RABBIT_PORT"
scripts/servers.sh redis-start "$TMP/redis" "$REDIS_PORT"
scripts/servers.sh rabbitmq-start "$TMP/rabbitmq" "$RABBIT_PORT"
AMQP="amqp://guest:guest@127.0.0.1:$RABBIT_PORT/"

log "broker ceiling"
BEAM_PID=$(rabbit_pid) REDIS_PID=$(cat "$TMP/redis/redis.pid")
run ceiling-broker --amqp "$AMQP" --count "$N_BROKER" --seconds "$SECS" --watch "rabbit:$BEAM_PID" --timeline-dir "$TMP"
run stalls --name broker-8x8 --timeline "$TMP/broker-8x8.txt" --over-ms 15

log "HTTP ceiling"
HTTP_PORT=$(scripts/servers.sh free-port)
$BENCH serve-http --port "$HTTP_PORT" --seconds 600 >/dev/null &
HTTP_PID=$!
wait_ready "http://127.0.0.1:$HTTP_PORT/health/ready" 30
run load --name http-warmup --url "http://127.0.0.1:$HTTP_PORT" --count 5000 --connections 8 --seconds 10
for c in 8 64 128; do
  run load --name "http-c$c" --url "http://127.0.0.1:$HTTP_PORT" --count "$N_HTTP" --connections "$c" --seconds "$SECS"
done
kill "$HTTP_PID"; wait "$HTTP_PID" 2>/dev/null || true; HTTP_PID=""

# The gateway, configured as in production (servers mode), with the bench corp/app of Fixtures.cs.
# Without its enrichment consumers (Enrichment:Enabled=false): with them, every event would also be routed to the
# gateway's own enrichment queue (twice the broker's work per event: ~0.21 against ~0.12 ms of RabbitMQ CPU,
# docs/performance.md, "Enrichment off in the bench") and consumed by the gateway itself against a WeCom that is not there (127.0.0.1:9:
# retries, error logs). The bench measures the callback path against a ceiling with one queue; bench.events is it.
export DOTNET_ENVIRONMENT=Production ASPNETCORE_ENVIRONMENT=Production
export ConnectionStrings__RabbitMq="$AMQP" ConnectionStrings__Redis="127.0.0.1:$REDIS_PORT"
export Bridge__Roles__0=Gateway Polling__Moments__Enabled=false
export WeCom__BaseUrl=http://127.0.0.1:9/ OfficialAccounts__BaseUrl=http://127.0.0.1:9/
export WeCom__Corps__bench__CorpId=wwbench0000000001 WeCom__Corps__bench__ContactSecret=bench
export WeCom__Corps__bench__Apps__crm__AgentId=1000002 WeCom__Corps__bench__Apps__crm__Secret=bench
export WeCom__Corps__bench__Apps__crm__Token=benchToken0123456789
export WeCom__Corps__bench__Apps__crm__EncodingAesKey=abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG
export Gateway__Spool__Path="$TMP/spool"
export Logging__LogLevel__Default=Warning Logging__LogLevel__MassTransit=Warning
GW_PORT=$(scripts/servers.sh free-port)
GW="http://127.0.0.1:$GW_PORT"
log "starting the gateway on $GW_PORT"
# Not exported: the load series (bench/series.sh) runs its gateways with enrichment, against the fake APIs.
Enrichment__Enabled=false ASPNETCORE_URLS=$GW dotnet src/WecomBridge/bin/Release/net10.0/WecomBridge.dll > "$TMP/gateway.log" 2>&1 &
GATEWAY_PID=$!
wait_ready "$GW/health/ready" 60 || { cat "$TMP/gateway.log" >&2; exit 1; }

run load --name gateway-warmup --url "$GW" --count 3000 --connections 8 --seconds 20
# A durable queue bound to the event's exchange (declared by the warm-up's first publish), purged
# before each run, so that every confirm covers a stored persistent message, as with real consumers.
EXCHANGE=wecombridge.external-contact-added
CLK_TCK=$(getconf CLK_TCK)
for c in 8 64 128; do
  run bind --amqp "$AMQP" --exchange "$EXCHANGE" --queue bench.events
  run load --name "gateway-c$c" --url "$GW" --count "$N_LOAD" --connections "$c" --seconds "$SECS" \
    --watch "gateway:$GATEWAY_PID,rabbit:$BEAM_PID,redis:$REDIS_PID" --timeline "$TMP/gateway-c$c.txt"
done
# Were the slow requests slow alone or all connections at once? (over each target's p99 bound)
run stalls --name gateway-c8 --timeline "$TMP/gateway-c8.txt" --over-ms 15
run stalls --name gateway-c64 --timeline "$TMP/gateway-c64.txt" --over-ms 50
# The same with a consumer that keeps up (manual acks, as a CRM): the broker no longer stores a growing backlog, but
# the consumer's deliveries and acks take broker and load-generator CPU on these 2 cores. Ceiling and gateway alike.
run ceiling-broker --amqp "$AMQP" --count "$N_BROKER" --seconds "$SECS" --watch "rabbit:$BEAM_PID" --drain 1
for c in 8 64; do
  run bind --amqp "$AMQP" --exchange "$EXCHANGE" --queue bench.events
  run load --name "gateway-c$c-drained" --url "$GW" --count "$N_LOAD" --connections "$c" --seconds "$SECS" \
    --watch "gateway:$GATEWAY_PID,rabbit:$BEAM_PID,redis:$REDIS_PID" --timeline "$TMP/gateway-c$c-drained.txt" \
    --drain bench.events --amqp "$AMQP"
done
run stalls --name gateway-c8-drained --timeline "$TMP/gateway-c8-drained.txt" --over-ms 15
echo "CLK name=clk clk=$CLK_TCK" >> "$RESULTS"
# How many AMQP channels the gateway's event publisher (connection "wecombridge-messaging") had open.
CHANNELS=$( { rabbitmqctl -q -n "wb-$RABBIT_PORT@localhost" list_connections channels client_properties 2>/dev/null || true; } \
  | awk '/"wecombridge-messaging"/ { n += $1 } END { print n + 0 }')
HWM_KB=$(awk '/VmHWM/ { print $2 }' "/proc/$GATEWAY_PID/status")
kill "$GATEWAY_PID"; wait "$GATEWAY_PID" 2>/dev/null || true; GATEWAY_PID=""

log "stages alone (the gateway's own services, no HTTP)"
for c in 8 64; do
  run bind --amqp "$AMQP" --exchange "$EXCHANGE" --queue bench.events
  run stages --count "$N_STAGE" --connections "$c" --seconds "$SECS" --watch "rabbit:$BEAM_PID,redis:$REDIS_PID"
done

source bench/series.sh # the open-loop load series R, 2R, 4R (docs/benchmarks-series.svg)

# The dispatcher (issue #6): the sends mode starts its own WecomBridge (roles Gateway+Dispatcher, its own queue
# prefix) against fakes hosted in the bench process, on this run's RabbitMQ and Redis; ~2 minutes (BENCH_SENDS=0 skips).
if [ "${BENCH_SENDS:-1}" != 0 ]; then
  log "the dispatcher: send throughput, rate limiter, welcome latency"
  if [ "$QUICK" = 1 ]; then SEND_ARGS="--count 1000 --tight-seconds 5 --welcome-seconds 8"
  else SEND_ARGS="--count 3000 --tight-seconds 10 --welcome-seconds 20"; fi
  # shellcheck disable=SC2086
  run sends --amqp "$AMQP" --redis "127.0.0.1:$REDIS_PORT" --connections 32 --tight-limit 50 --welcome-rate 50 $SEND_ARGS \
    --watch "rabbit:$BEAM_PID,redis:$REDIS_PID" --log "$TMP/sends-bridge.log"
fi

# The shared limiter alone against a platform that counts arrivals in every sliding window (PacingBench.cs): 3 instances,
# one bucket at 100 calls per 5 s, paced (the API buckets) and counted (a sliding-window count); ~2.5 minutes
# (BENCH_PACING=0 skips).
if [ "${BENCH_PACING:-1}" != 0 ]; then
  log "the limiter against a platform counting arrivals"
  if [ "$QUICK" = 1 ]; then PACING_COUNT=400; else PACING_COUNT=1200; fi
  for shape in paced counted; do
    run limiter --redis "127.0.0.1:$REDIS_PORT" --count "$PACING_COUNT" --shape "$shape" --port "$(scripts/servers.sh free-port)"
  done
fi

log "micro-benchmarks"
$BENCH micro --artifacts "$TMP/bdn" > "$TMP/micro.log" 2>&1 || { tail -30 "$TMP/micro.log" >&2; exit 1; }
MICRO=$(cat "$TMP"/bdn/results/*-report-github.md)

log "writing docs/benchmarks.md"
mkdir -p docs
BENCH_RESULTS=$RESULTS BENCH_HWM_KB=$HWM_KB BENCH_CHANNELS=$CHANNELS BENCH_LOADAVG=$LOADAVG BENCH_STARTED=$STARTED BENCH_QUICK=$QUICK \
  BENCH_MICRO=$MICRO bench/report.sh > docs/benchmarks.md
log "done: docs/benchmarks.md"
