#!/usr/bin/env bash
# The gateway section of bench/run.sh alone, for A/B runs while working on the gateway: throw-away redis-server and
# rabbitmq-server, optionally the broker ceiling (CEIL=1), then a fresh gateway (Release build, as in run.sh, plus
# the environment assignments in GWEXTRA) at CONNS connections (default "8 64") for ROUNDS rounds, with each load
# client of CLIENTS (raw, httpclient). Prints the RESULT/CPU lines (and keeps every timeline in the run folder).
#
#   bench/gateway-ab.sh                                            # c8 and c64 once
#   GWEXTRA="Messaging__X=1" ROUNDS=2 bench/gateway-ab.sh           # the gateway with a setting, twice
#   BENCH_QUEUE_VERSION=1 CEIL=1 bench/gateway-ab.sh               # version 1 queues, with the ceiling
#   BENCH_QUEUE_MODE=default CEIL=1 bench/gateway-ab.sh            # RabbitMQ 3.10's default queue mode (not lazy)
#   DRAIN=1 bench/gateway-ab.sh                                    # a consumer takes the events as they come
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-1} TMP=$(mktemp -d /tmp/wb-gwab.XXXXXX) RESULTS=$TMP/results.txt GATEWAY_PID=""
cleanup() {
  [ -n "$GATEWAY_PID" ] && kill "$GATEWAY_PID" 2>/dev/null || true
  scripts/servers.sh rabbitmq-stop "$TMP/rabbitmq" >/dev/null 2>&1 || true
  scripts/servers.sh redis-stop "$TMP/redis" >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM
BENCH="dotnet bench/WecomBridge.Bench/bin/Release/net10.0/WecomBridge.Bench.dll"
run() { $BENCH "$@" | tee -a "$RESULTS" | grep -E '^(RESULT|CPU|STALLS)' | sed -E 's/ (ok|non200|noanswer|codes|max_ms)=[^ ]*//g' || true; }
dotnet build -c Release bench/WecomBridge.Bench -v q -nologo >/dev/null
scripts/servers.sh install
source bench/gateway-env.sh # beam_pid
REDIS_PORT=$(scripts/servers.sh free-port) RABBIT_PORT=$(scripts/servers.sh free-port)
scripts/servers.sh redis-start "$TMP/redis" "$REDIS_PORT" >/dev/null
scripts/servers.sh rabbitmq-start "$TMP/rabbitmq" "$RABBIT_PORT" >/dev/null
AMQP="amqp://guest:guest@127.0.0.1:$RABBIT_PORT/" BEAM_PID=$(beam_pid "$RABBIT_PORT") REDIS_PID=$(cat "$TMP/redis/redis.pid")
echo "load average $(cut -d' ' -f1-3 /proc/loadavg), results in $TMP"
[ "${CEIL:-0}" = 1 ] && run ceiling-broker --amqp "$AMQP" --count 60000 --seconds 8 --watch "rabbit:$BEAM_PID" --drain "${DRAIN:-0}"
export DOTNET_ENVIRONMENT=Production ASPNETCORE_ENVIRONMENT=Production MASSTRANSIT_USAGE_TELEMETRY=false
export ConnectionStrings__RabbitMq="$AMQP" ConnectionStrings__Redis="127.0.0.1:$REDIS_PORT"
export Bridge__Roles__0=Gateway Polling__Moments__Enabled=false Enrichment__Enabled=false
export WeCom__BaseUrl=http://127.0.0.1:9/ OfficialAccounts__BaseUrl=http://127.0.0.1:9/
export WeCom__Corps__bench__CorpId=wwbench0000000001 WeCom__Corps__bench__ContactSecret=bench
export WeCom__Corps__bench__Apps__crm__AgentId=1000002 WeCom__Corps__bench__Apps__crm__Secret=bench
export WeCom__Corps__bench__Apps__crm__Token=benchToken0123456789
export WeCom__Corps__bench__Apps__crm__EncodingAesKey=abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG
export Gateway__Spool__Path="$TMP/spool" Logging__LogLevel__Default=Warning Logging__LogLevel__MassTransit=Warning
GW="http://127.0.0.1:$(scripts/servers.sh free-port)"
# shellcheck disable=SC2086
env ${GWEXTRA:-} ASPNETCORE_URLS=$GW dotnet src/WecomBridge/bin/Release/net10.0/WecomBridge.dll > "$TMP/gateway.log" 2>&1 &
GATEWAY_PID=$!
deadline=$((SECONDS + 60))
until curl -fsS "$GW/health/ready" >/dev/null 2>&1; do
  [ $SECONDS -lt $deadline ] || { tail -20 "$TMP/gateway.log" >&2; exit 1; }
  sleep 0.3
done
run load --name warmup --url "$GW" --count 3000 --connections 8 --seconds 20 >/dev/null
for r in $(seq "$ROUNDS"); do for c in ${CONNS:-8 64}; do for client in ${CLIENTS:-raw}; do
  run bind --amqp "$AMQP" --exchange wecombridge.external-contact-added --queue bench.events
  echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
  run load --name "gw-c$c-$client-$r" --client "$client" --url "$GW" --count "${N:-40000}" --connections "$c" --seconds "${SECS:-10}" \
    --watch "gateway:$GATEWAY_PID,rabbit:$BEAM_PID,redis:$REDIS_PID" --timeline "$TMP/gw-c$c-$client-$r.txt" \
    $([ "${DRAIN:-0}" = 1 ] && echo "--drain bench.events --amqp $AMQP")
  run stalls --name "gw-c$c-$client-$r" --timeline "$TMP/gw-c$c-$client-$r.txt" --over-ms "$([ "$c" -le 8 ] && echo 15 || echo 50)"
done; done; done
