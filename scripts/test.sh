#!/usr/bin/env bash
# The test command: starts a throw-away redis-server, rabbitmq-server and PostgreSQL on free loopback ports in a
# temporary folder, runs `dotnet test WecomBridge.sln` against them, stops them (and any server a drill
# test started in that folder) on every exit path (also Ctrl-C and failures) and ends with the line
# "N passed, N failed".
# Extra arguments go to dotnet test, e.g. scripts/test.sh --filter FullyQualifiedName~Callbacks
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
servers="$root/scripts/servers.sh"
bash "$servers" install || exit 1
# The console's browser tests drive the Debian chromium package (Playwright cannot download a browser of its own here).
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "test.sh: missing chromium: install it (sudo apt-get install -y chromium) or run as root" >&2; exit 1
  fi
  echo "test.sh: installing chromium" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null || exit 1
fi

run=$(mktemp -d /tmp/wecombridge-test.XXXXXX)
cleanup() {
  local dir
  for dir in "$run"/rabbitmq*; do  # the shared broker and any a drill test left behind
    [ -d "$dir" ] && bash "$servers" rabbitmq-stop "$dir" >/dev/null 2>&1
  done
  for dir in "$run"/postgres*; do  # the shared cluster and any a drill test left behind
    [ -d "$dir" ] && bash "$servers" postgres-stop "$dir" >/dev/null 2>&1
  done
  for dir in "$run"/nginx*; do  # reverse proxies a drill test left behind
    [ -d "$dir" ] && bash "$servers" nginx-stop "$dir" >/dev/null 2>&1
  done
  bash "$servers" redis-stop "$run/redis" >/dev/null 2>&1
  rm -rf "$run"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

redis_port=$(bash "$servers" free-port)
rabbit_port=$(bash "$servers" free-port)
postgres_port=$(bash "$servers" free-port)
bash "$servers" redis-start "$run/redis" "$redis_port" || exit 1
bash "$servers" rabbitmq-start "$run/rabbitmq" "$rabbit_port" || exit 1
bash "$servers" postgres-start "$run/postgres" "$postgres_port" || exit 1
echo "redis-server on 127.0.0.1:$redis_port, rabbitmq-server on 127.0.0.1:$rabbit_port," \
  "PostgreSQL on 127.0.0.1:$postgres_port ($run)"

export WECOMBRIDGE_TEST_REDIS="127.0.0.1:$redis_port"
export WECOMBRIDGE_TEST_RABBITMQ="amqp://guest:guest@127.0.0.1:$rabbit_port/"
# Tests create a database of their own in this cluster (see TestServers.Postgres).
export WECOMBRIDGE_TEST_POSTGRES="Host=127.0.0.1;Port=$postgres_port;Username=postgres;Database=postgres"
export WECOMBRIDGE_TEST_SERVERS="$servers"
export WECOMBRIDGE_TEST_TMP="$run"

results="$run/results"
dotnet test "$root/WecomBridge.sln" --logger "trx" --results-directory "$results" "$@"
status=$?

# The plain summary line, counted from the test results.
python3 - "$results" <<'PY' || { echo "0 passed, 0 failed"; }
import sys, glob, xml.etree.ElementTree as ET
p = f = s = 0
for path in glob.glob(sys.argv[1] + "/*.trx"):
    c = ET.parse(path).getroot().find(".//{*}ResultSummary/{*}Counters")
    if c is None: continue
    p += int(c.get("passed", 0)); f += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0))
    s += int(c.get("notExecuted", 0))
print(f"{p} passed, {f} failed" + (f", {s} skipped" if s else ""))
PY
exit $status
