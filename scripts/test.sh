#!/usr/bin/env bash
# The test command: starts a throw-away redis-server, rabbitmq-server and PostgreSQL on free loopback ports in a
# temporary folder, runs `dotnet test WecomBridge.sln` against them, stops them (and any server a drill
# test started in that folder) on every exit path (also Ctrl-C and failures) and ends with the line
# "N passed, N failed".
# Extra arguments go to dotnet test, e.g. scripts/test.sh --filter FullyQualifiedName~Callbacks
# --redis-cluster (leading argument) also starts a Redis Cluster (3 masters, 3 replicas) and points every Redis test at
# it instead of the single server (scripts/test-redis-cluster.sh runs the Redis store tests and the Redis Cluster
# tests that way); a run without it and without a filter leaves the Cluster tests out.
# --rabbitmq-cluster (leading argument) also starts a 3-node RabbitMQ cluster for the tests of WecomBridge.Tests.RabbitMqCluster
# (scripts/test-rabbitmq-cluster.sh runs them); a run without it and without a filter leaves those tests out.
set -uo pipefail
cluster=""
rabbit_cluster=""
while :; do
  case "${1:-}" in
    --redis-cluster) cluster=1; shift ;;
    --rabbitmq-cluster) rabbit_cluster=1; shift ;;
    *) break ;;
  esac
done
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
  for dir in "$run"/rabbitmq-cluster*; do  # the cluster of --rabbitmq-cluster and any a drill test started
    [ -d "$dir" ] && bash "$servers" rabbitmq-cluster-stop "$dir" >/dev/null 2>&1
  done
  for dir in "$run"/postgres*; do  # the shared cluster and any a drill test left behind
    [ -d "$dir" ] && bash "$servers" postgres-stop "$dir" >/dev/null 2>&1
  done
  for dir in "$run"/nginx*; do  # reverse proxies a drill test left behind
    [ -d "$dir" ] && bash "$servers" nginx-stop "$dir" >/dev/null 2>&1
  done
  for dir in "$run"/redis-cluster*; do  # the cluster of --redis-cluster and any a test started
    [ -d "$dir" ] && bash "$servers" redis-cluster-stop "$dir" >/dev/null 2>&1
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
if [ -n "$cluster" ]; then
  bash "$servers" redis-cluster-start "$run/redis-cluster" $(for i in 1 2 3 4 5 6; do bash "$servers" free-port; done) || exit 1
  export WECOMBRIDGE_TEST_REDIS_CLUSTER; WECOMBRIDGE_TEST_REDIS_CLUSTER=$(cat "$run/redis-cluster/endpoints")
  export WECOMBRIDGE_TEST_REDIS="$WECOMBRIDGE_TEST_REDIS_CLUSTER"
  echo "Redis Cluster on $WECOMBRIDGE_TEST_REDIS_CLUSTER: the Redis tests run against it"
fi
export WECOMBRIDGE_TEST_RABBITMQ="amqp://guest:guest@127.0.0.1:$rabbit_port/"
if [ -n "$rabbit_cluster" ]; then
  bash "$servers" rabbitmq-cluster-start "$run/rabbitmq-cluster" $(for i in 1 2 3; do bash "$servers" free-port; done) || exit 1
  export WECOMBRIDGE_TEST_RABBITMQ_CLUSTER; WECOMBRIDGE_TEST_RABBITMQ_CLUSTER=$(sed 's/\([0-9]*\)/127.0.0.1:\1/g; s/ /,/g' "$run/rabbitmq-cluster/ports")
  export WECOMBRIDGE_TEST_RABBITMQ_CLUSTER_DIR="$run/rabbitmq-cluster"
  echo "RabbitMQ cluster on $WECOMBRIDGE_TEST_RABBITMQ_CLUSTER"
fi
# Without a filter, the cluster tests run only with their cluster (scripts/test-redis-cluster.sh, test-rabbitmq-cluster.sh).
case " $* " in
  *" --filter"*) ;;
  *) skip=""
     [ -n "$cluster" ] || skip="FullyQualifiedName!~WecomBridge.Tests.Cluster."
     [ -n "$rabbit_cluster" ] || skip="${skip:+$skip&}FullyQualifiedName!~WecomBridge.Tests.RabbitMqCluster."
     [ -z "$skip" ] || set -- --filter "$skip" "$@" ;;
esac
# Tests create a database of their own in this cluster (see TestServers.Postgres).
export WECOMBRIDGE_TEST_POSTGRES="Host=127.0.0.1;Port=$postgres_port;Username=postgres;Database=postgres"
export WECOMBRIDGE_TEST_SERVERS="$servers"
export WECOMBRIDGE_TEST_TMP="$run"

results="$run/results"
dotnet test "$root/WecomBridge.sln" --logger "trx" --results-directory "$results" "$@"
status=$?

# The slowest test classes (the whole run must stay under 15 minutes), then the plain summary line, counted from
# the test results. WECOMBRIDGE_TEST_KEEP_RESULTS=DIR keeps the .trx files there.
[ -n "${WECOMBRIDGE_TEST_KEEP_RESULTS:-}" ] && mkdir -p "$WECOMBRIDGE_TEST_KEEP_RESULTS" && cp "$results"/*.trx "$WECOMBRIDGE_TEST_KEEP_RESULTS"/ 2>/dev/null
python3 - "$results" <<'PY' || { echo "0 passed, 0 failed"; }
import sys, glob, xml.etree.ElementTree as ET
p = f = s = 0
classes = {}
for path in glob.glob(sys.argv[1] + "/*.trx"):
    for r in ET.parse(path).getroot().findall(".//{*}UnitTestResult"):
        h, m, sec = (r.get("duration") or "0:0:0").split(":")
        name = r.get("testName", "").split("(")[0].rsplit(".", 1)[0]
        classes[name] = classes.get(name, 0) + int(h) * 3600 + int(m) * 60 + float(sec)
    c = ET.parse(path).getroot().find(".//{*}ResultSummary/{*}Counters")
    if c is None: continue
    p += int(c.get("passed", 0)); f += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0))
    s += int(c.get("notExecuted", 0))
if classes:
    print("Slowest test classes (seconds, summed over their tests):")
    for name, total in sorted(classes.items(), key=lambda kv: -kv[1])[:10]: print(f"{total:8.1f}  {name}")
print(f"{p} passed, {f} failed" + (f", {s} skipped" if s else ""))
PY
exit $status
