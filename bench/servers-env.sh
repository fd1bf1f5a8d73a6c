# Sourced by bench/pacing.sh, bench/faults.sh and bench/outage.sh (after `cd` to the repository root): the Release
# build of the bench and throw-away redis-server and rabbitmq-server on free loopback ports in a temporary folder,
# stopped and removed on every exit path (also Ctrl-C and failures).
#
# bench_servers NAME: sets TMP (/tmp/wb-NAME.*), REDIS_PORT, RABBIT_PORT and AMQP. On exit the script's own
# bench_before_stop runs first when it defines one (to stop its processes or keep its logs).

bench_servers() {
  TMP=$(mktemp -d "/tmp/wb-$1.XXXXXX")
  trap bench_servers_stop EXIT
  trap 'exit 130' INT TERM
  echo "$1: building Release" >&2
  dotnet build -c Release bench/WecomBridge.Bench -v q -nologo >/dev/null
  scripts/servers.sh install
  REDIS_PORT=$(scripts/servers.sh free-port) RABBIT_PORT=$(scripts/servers.sh free-port)
  scripts/servers.sh redis-start "$TMP/redis" "$REDIS_PORT"
  scripts/servers.sh rabbitmq-start "$TMP/rabbitmq" "$RABBIT_PORT"
  AMQP="amqp://guest:guest@127.0.0.1:$RABBIT_PORT/"
}

bench_servers_stop() {
  if declare -F bench_before_stop >/dev/null; then bench_before_stop || true; fi
  scripts/servers.sh rabbitmq-stop "$TMP/rabbitmq" >/dev/null 2>&1 || true
  scripts/servers.sh redis-stop "$TMP/redis" >/dev/null 2>&1 || true
  rm -rf "$TMP"
}
