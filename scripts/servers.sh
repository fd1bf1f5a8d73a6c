#!/usr/bin/env bash
# Starts and stops throw-away redis-server, rabbitmq-server, PostgreSQL and nginx instances on loopback, each in a
# folder of its own. Used by scripts/test.sh and bench/run.sh, and by drill tests that need a
# broker they may stop or a reverse proxy in front of the gateway. Sub-commands:
#   servers.sh install                      apt-get install what is missing (as root), else say what to install
#   servers.sh free-port                    print a free loopback TCP port
#   servers.sh redis-start DIR PORT         start redis-server (no persistence), wait until it answers
#   servers.sh redis-stop DIR
#   servers.sh redis-cluster-start DIR PORT...   start a Redis Cluster, one node per PORT in DIR/node-PORT (6 ports:
#                                           3 masters with a replica each), wait until every node says cluster_state:ok;
#                                           writes its connection string (host:port,...) to DIR/endpoints
#   servers.sh redis-cluster-stop DIR       stop every node of it
#   servers.sh redis-sentinel-start DIR MASTER REPLICA S1 S2 S3
#                                           start a master and its replica (DIR/node-PORT) and 3 Sentinels (DIR/sentinel-PORT)
#                                           monitoring them as "wbmaster" (quorum 2, down after 1 s), wait until the replica is
#                                           in sync and every Sentinel knows the other two; writes the connection string
#                                           (sentinels,serviceName=wbmaster) to DIR/endpoints
#   servers.sh redis-sentinel-stop DIR      stop the Sentinels and both nodes
#   servers.sh rabbitmq-start DIR PORT      start rabbitmq-server (node wb-PORT@localhost), wait until it answers
#   servers.sh rabbitmq-stop DIR            stop it and wait for it to be gone
#   servers.sh rabbitmq-cluster-start DIR PORT1 PORT2 PORT3
#                                           start a 3-node RabbitMQ cluster (nodes wb-PORTn@localhost in DIR/node-PORTn),
#                                           wait until every node runs in one cluster
#   servers.sh rabbitmq-cluster-stop DIR    stop its nodes and wait for them to be gone
#   servers.sh rabbitmq-kill DIR            SIGKILL a node of rabbitmq-start (a crash: no shutdown); rabbitmq-start
#                                           DIR PORT starts it again (a cluster node rejoins its cluster)
#   servers.sh postgres-start DIR PORT      start a private PostgreSQL cluster (initdb in DIR, trust auth on
#                                           127.0.0.1 only, user postgres), wait until it answers
#   servers.sh postgres-stop DIR            stop it (fast shutdown) and wait for it to be gone
#   servers.sh nginx-start DIR PORT SITE    start nginx with SITE (an http-context file listening on
#                                           127.0.0.1:PORT) and all its paths in DIR, wait until it answers
#   servers.sh nginx-stop DIR               stop it and wait for it to be gone
set -euo pipefail

die() { echo "servers.sh: $*" >&2; exit 1; }

install() {
  local missing=()
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v rabbitmq-server >/dev/null || [ -x /usr/sbin/rabbitmq-server ] || missing+=(rabbitmq-server)
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
  postgres_bin >/dev/null 2>&1 || missing+=(postgresql)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    die "missing ${missing[*]}: install them (sudo apt-get install -y ${missing[*]}) or run as root"
  fi
  echo "servers.sh: installing ${missing[*]}" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
    || (for p in $(shuf -i 20000-40000 -n 50); do (echo >/dev/tcp/127.0.0.1/$p) 2>/dev/null || { echo $p; break; }; done)
}

wait_for() { # seconds, command...
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.2
  done
}

redis_start() {
  local dir=$1 port=$2
  mkdir -p "$dir"
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" \
    --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null
  echo "$port" > "$dir/port"
  wait_for 20 redis-cli -p "$port" ping || die "redis-server did not answer on $port (see $dir/redis.log)"
}

redis_stop() {
  local dir=$1
  [ -f "$dir/redis.pid" ] || return 0
  local pid; pid=$(cat "$dir/redis.pid" 2>/dev/null || true)
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  wait_for 10 bash -c "! kill -0 $pid" || kill -9 "$pid" 2>/dev/null || true
  rm -f "$dir/redis.pid"
}

redis_cluster_start() {
  local dir=$1; shift
  local ports=("$@") port endpoints=() nodes=()
  [ ${#ports[@]} -ge 3 ] || die "redis-cluster-start needs 3 ports or more (6: 3 masters, 3 replicas)"
  mkdir -p "$dir"
  for port in "${ports[@]}"; do
    mkdir -p "$dir/node-$port"
    # The cluster bus on a free port of its own (the default, PORT + 10000, may be taken or beyond 65535).
    # A short node timeout: a drill's failover takes seconds, not the default 15.
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir/node-$port" \
      --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 2000 --cluster-port "$(free_port)" \
      --daemonize yes --pidfile "$dir/node-$port/redis.pid" --logfile "$dir/node-$port/redis.log" >/dev/null
    echo "$port" > "$dir/node-$port/port"
    endpoints+=("127.0.0.1:$port")
  done
  for port in "${ports[@]}"; do
    wait_for 20 redis-cli -p "$port" ping || die "redis-server did not answer on $port (see $dir/node-$port/redis.log)"
  done
  local replicas=0
  [ ${#ports[@]} -ge 6 ] && replicas=1
  redis-cli --cluster create "${endpoints[@]}" --cluster-replicas "$replicas" --cluster-yes > "$dir/create.log" 2>&1 \
    || die "redis-cli --cluster create failed (see $dir/create.log)"
  for port in "${ports[@]}"; do
    wait_for 30 bash -c "redis-cli -p $port cluster info | grep -q '^cluster_state:ok' && \
      [ \"\$(redis-cli -p $port cluster info | sed -n 's/^cluster_known_nodes:\([0-9]*\).*/\1/p')\" = ${#ports[@]} ]" \
      || die "the cluster did not become ok on $port (see $dir/create.log)"
  done
  # Every replica in sync with its master, so that a drill's failover starts from a whole copy.
  for port in "${ports[@]}"; do
    if redis-cli -p "$port" role | head -1 | grep -q slave; then
      wait_for 30 bash -c "redis-cli -p $port info replication | grep -q '^master_link_status:up'" \
        || die "the replica on $port did not sync (see $dir/node-$port/redis.log)"
    fi
  done
  (IFS=,; echo "${endpoints[*]}") > "$dir/endpoints"
}

redis_cluster_stop() {
  local dir=$1 node
  for node in "$dir"/node-*; do
    [ -d "$node" ] && redis_stop "$node"
  done
  return 0
}

rabbitmq_env() {
  local dir=$1 port
  port=$(cat "$dir/port")
  export RABBITMQ_NODENAME="wb-$port@localhost" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=$port \
    RABBITMQ_DIST_PORT=$(cat "$dir/dist-port") RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" RABBITMQ_CONFIG_FILE="$dir/rabbitmq" \
    RABBITMQ_PID_FILE="$dir/rabbitmq.pid" RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config"
}

redis_sentinel_start() {
  local dir=$1 master=$2 replica=$3; shift 3
  local sentinels=("$@") port endpoints=()
  [ ${#sentinels[@]} -eq 3 ] || die "redis-sentinel-start needs a master port, a replica port and 3 Sentinel ports"
  for port in "$master" "$replica"; do
    mkdir -p "$dir/node-$port"
    local follow=()
    [ "$port" = "$replica" ] && follow=(--replicaof 127.0.0.1 "$master")
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir/node-$port" "${follow[@]}" \
      --daemonize yes --pidfile "$dir/node-$port/redis.pid" --logfile "$dir/node-$port/redis.log" >/dev/null
    echo "$port" > "$dir/node-$port/port"
    wait_for 20 redis-cli -p "$port" ping || die "redis-server did not answer on $port (see $dir/node-$port/redis.log)"
  done
  wait_for 30 bash -c "redis-cli -p $replica info replication | grep -q '^master_link_status:up'" \
    || die "the replica on $replica did not sync (see $dir/node-$replica/redis.log)"
  for port in "${sentinels[@]}"; do
    mkdir -p "$dir/sentinel-$port"
    # Sentinel rewrites its configuration file: one of its own, in its folder. A down-after of 1 s and a failover
    # timeout of 5 s: a drill's failover takes seconds, not the default minutes.
    cat > "$dir/sentinel-$port/sentinel.conf" <<CONF
port $port
bind 127.0.0.1
dir $dir/sentinel-$port
sentinel monitor wbmaster 127.0.0.1 $master 2
sentinel down-after-milliseconds wbmaster 1000
sentinel failover-timeout wbmaster 5000
sentinel parallel-syncs wbmaster 1
CONF
    redis-server "$dir/sentinel-$port/sentinel.conf" --sentinel --daemonize yes \
      --pidfile "$dir/sentinel-$port/redis.pid" --logfile "$dir/sentinel-$port/redis.log" >/dev/null
    endpoints+=("127.0.0.1:$port")
  done
  for port in "${sentinels[@]}"; do
    wait_for 30 bash -c "redis-cli -p $port sentinel master wbmaster | grep -A1 '^num-other-sentinels$' | tail -1 | grep -qx 2" \
      || die "the Sentinel on $port did not find the other two (see $dir/sentinel-$port/redis.log)"
  done
  (IFS=,; echo "${endpoints[*]},serviceName=wbmaster") > "$dir/endpoints"
}

redis_sentinel_stop() {
  local dir=$1 node
  for node in "$dir"/sentinel-* "$dir"/node-*; do
    [ -d "$node" ] && redis_stop "$node"
  done
  return 0
}

rabbitmq_start() {
  local dir=$1 port=$2
  mkdir -p "$dir/mnesia" "$dir/log"
  echo "$port" > "$dir/port"
  [ -f "$dir/dist-port" ] || free_port > "$dir/dist-port"
  echo "[]." > "$dir/enabled_plugins"
  echo "[]." > "$dir/advanced.config"
  printf 'loopback_users = none\nlisteners.tcp.default = 127.0.0.1:%s\n' "$port" > "$dir/rabbitmq.conf"
  if [ "$(id -u)" -eq 0 ] && id rabbitmq >/dev/null 2>&1; then
    # Started by root, rabbitmq-server drops to the rabbitmq user: it must own its folders and
    # reach them (mktemp folders are 0700).
    chown -R rabbitmq:rabbitmq "$dir"
    local up; up=$(dirname "$(readlink -f "$dir")")
    while [ "$up" != / ]; do chmod o+x "$up"; up=$(dirname "$up"); done
  fi
  rabbitmq_env "$dir"
  setsid rabbitmq-server > "$dir/log/stdout.log" 2>&1 < /dev/null &
  local pid=$!
  local deadline=$((SECONDS + 60))
  until rabbitmqctl -q -n "$RABBITMQ_NODENAME" await_startup --timeout 2 >/dev/null 2>&1; do
    kill -0 $pid 2>/dev/null || die "rabbitmq-server exited on start (see $dir/log/stdout.log)"
    [ $SECONDS -lt $deadline ] || die "rabbitmq-server did not start on $port within 60 s (see $dir/log)"
    sleep 0.3
  done
}

rabbitmq_stop() {
  local dir=$1
  [ -f "$dir/port" ] || return 0
  rabbitmq_env "$dir"
  local pids="" p
  # RabbitMQ passes its settings through the environment, so find this node's processes there.
  for p in $(pgrep -f 'beam.smp|rabbitmq' || true); do
    grep -qz "^RABBITMQ_NODENAME=$RABBITMQ_NODENAME\$" "/proc/$p/environ" 2>/dev/null && pids="$pids $p"
  done
  [ -n "$pids" ] || return 0
  timeout 20 rabbitmqctl -q -n "$RABBITMQ_NODENAME" stop >/dev/null 2>&1 || true
  # Nothing of this node may outlive the run: wait for its processes, then kill what is left.
  for p in $pids; do
    wait_for 20 bash -c "! kill -0 $p" || kill -9 "$p" 2>/dev/null || true
  done
}

# A cluster is nodes of rabbitmq_start, one folder each, started together (a node takes seconds to boot), then the
# second and third join the first. They share the Erlang cookie of the user they run as, as rabbitmqctl does.
rabbitmq_cluster_start() {
  local dir=$1 first=$2; shift
  [ $# -eq 3 ] || die "rabbitmq-cluster-start DIR PORT1 PORT2 PORT3"
  mkdir -p "$dir"
  local port pids=() failed=0
  for port in "$@"; do
    ( rabbitmq_start "$dir/node-$port" "$port" ) & pids+=($!)
  done
  for port in "${pids[@]}"; do wait "$port" || failed=1; done
  [ $failed -eq 0 ] || { rabbitmq_cluster_stop "$dir"; die "a node of the cluster in $dir did not start"; }
  echo "$*" > "$dir/ports"
  for port in "${@:2}"; do
    # start_app after a join logs a transient error on 3.10 (connection tracking tables): kept in join.log.
    ( rabbitmq_env "$dir/node-$port"
      rabbitmqctl -q -n "$RABBITMQ_NODENAME" stop_app \
        && rabbitmqctl -q -n "$RABBITMQ_NODENAME" join_cluster "wb-$first@localhost" \
        && rabbitmqctl -q -n "$RABBITMQ_NODENAME" start_app
    ) > "$dir/node-$port/log/join.log" 2>&1 \
      || { rabbitmq_cluster_stop "$dir"; die "node wb-$port@localhost did not join wb-$first@localhost (see $dir/node-$port/log/join.log)"; }
  done
  wait_for 60 rabbitmq_cluster_running "wb-$first@localhost" 3 \
    || { rabbitmq_cluster_stop "$dir"; die "the cluster in $dir did not list 3 running nodes within 60 s"; }
}

rabbitmq_kill() {
  local dir=$1 p
  [ -f "$dir/port" ] || return 0
  rabbitmq_env "$dir"
  for p in $(pgrep -f 'beam.smp|rabbitmq' || true); do
    grep -qz "^RABBITMQ_NODENAME=$RABBITMQ_NODENAME\$" "/proc/$p/environ" 2>/dev/null && kill -9 "$p" 2>/dev/null || true
  done
  # Gone once its AMQP port is closed.
  wait_for 20 bash -c "! (echo > /dev/tcp/127.0.0.1/$RABBITMQ_NODE_PORT) 2>/dev/null"
}

rabbitmq_cluster_running() { # node, count: the node's cluster_status lists that many running nodes
  local n
  n=$(rabbitmqctl -q -n "$1" cluster_status --formatter json 2>/dev/null \
    | python3 -c 'import json,sys; print(len(json.load(sys.stdin).get("running_nodes", [])))' 2>/dev/null)
  [ "${n:-0}" -eq "$2" ]
}

rabbitmq_cluster_stop() {
  local dir=$1 node pids=()
  for node in "$dir"/node-*; do
    [ -d "$node" ] || continue
    ( rabbitmq_stop "$node" ) & pids+=($!)
  done
  for node in "${pids[@]}"; do wait "$node" || true; done
}

postgres_bin() { # the folder of initdb and pg_ctl: Debian keeps them out of PATH, in /usr/lib/postgresql/VERSION/bin
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  done
  command -v pg_ctl >/dev/null 2>&1 && { dirname "$(readlink -f "$(command -v pg_ctl)")"; return 0; }
  die "PostgreSQL is not installed (run servers.sh install)"
}

# initdb and pg_ctl refuse to run as root: as root they run as the postgres user, on folders it owns.
postgres_as() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

postgres_start() {
  local dir=$1 port=$2 bin
  bin=$(postgres_bin)
  mkdir -p "$dir/socket"
  dir=$(cd "$dir" && pwd)
  echo "$port" > "$dir/port"
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || die "no postgres user to run PostgreSQL as (install the postgresql package)"
    chown -R postgres "$dir"
    local up; up=$(dirname "$dir")  # mktemp folders are 0700: the postgres user must reach DIR
    while [ "$up" != / ]; do chmod o+x "$up"; up=$(dirname "$up"); done
  fi
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    postgres_as "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --no-sync -E UTF8 --locale=C.UTF-8 \
      > "$dir/initdb.log" 2>&1 || die "initdb failed (see $dir/initdb.log)"
  fi
  # Throw-away data: no fsync. Loopback only, the socket in DIR (never /var/run/postgresql).
  postgres_as "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 30 start \
    -o "-p $port -k $dir/socket -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    > "$dir/pg_ctl.log" 2>&1 || die "PostgreSQL did not start on $port (see $dir/postgres.log)"
  wait_for 20 postgres_as "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" \
    || die "PostgreSQL did not answer on $port (see $dir/postgres.log)"
}

postgres_stop() {
  local dir=$1 bin
  [ -f "$dir/data/postmaster.pid" ] || return 0
  dir=$(cd "$dir" && pwd)
  bin=$(postgres_bin)
  local pid; pid=$(head -1 "$dir/data/postmaster.pid" 2>/dev/null || true)
  postgres_as "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 20 stop >/dev/null 2>&1 || true
  # Nothing of this cluster may outlive the run: the postmaster and its children.
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    pkill -9 -P "$pid" 2>/dev/null || true
    kill -9 "$pid" 2>/dev/null || true
  fi
}

nginx_bin() {
  command -v nginx 2>/dev/null && return 0
  [ -x /usr/sbin/nginx ] && { echo /usr/sbin/nginx; return 0; }
  die "nginx is not installed (run servers.sh install)"
}

nginx_start() {
  local dir=$1 port=$2 site=$3 bin
  bin=$(nginx_bin)
  [ -f "$site" ] || die "no nginx site file $site"
  mkdir -p "$dir/temp"
  dir=$(cd "$dir" && pwd)
  [ "$(readlink -f "$site")" = "$dir/site.conf" ] || cp "$site" "$dir/site.conf"
  echo "$port" > "$dir/port"
  # One process (no master, no workers, in the foreground of a session of its own): its pid is all
  # there is to stop, and nothing outlives it. Every path nginx writes is in DIR, none in /etc,
  # /var/lib or /var/log. master_process off is nginx's mode for development: the proxying is the same.
  cat > "$dir/nginx.conf" <<EOF
daemon off;
master_process off;
pid $dir/nginx.pid;
lock_file $dir/nginx.lock;
error_log $dir/error.log warn;
events { worker_connections 512; }
http {
  access_log $dir/access.log;
  client_body_temp_path $dir/temp/body;
  proxy_temp_path $dir/temp/proxy;
  fastcgi_temp_path $dir/temp/fastcgi;
  uwsgi_temp_path $dir/temp/uwsgi;
  scgi_temp_path $dir/temp/scgi;
  include $dir/site.conf;
}
EOF
  "$bin" -t -q -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" > "$dir/config-test.log" 2>&1 \
    || die "nginx rejected the configuration: $(cat "$dir/config-test.log")"
  setsid "$bin" -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" > "$dir/stdout.log" 2>&1 < /dev/null &
  local pid=$!
  echo "$pid" > "$dir/process.pid"
  local deadline=$((SECONDS + 20))
  until (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || die "nginx exited on start: $(tail -3 "$dir/error.log" "$dir/stdout.log" 2>/dev/null)"
    [ $SECONDS -lt $deadline ] || { nginx_stop "$dir"; die "nginx did not listen on 127.0.0.1:$port within 20 s (see $dir/error.log)"; }
    sleep 0.1
  done
}

nginx_stop() {
  local dir=$1 pid
  [ -f "$dir/process.pid" ] || return 0
  dir=$(cd "$dir" && pwd)
  pid=$(cat "$dir/process.pid")
  # Only the process this folder started: its command line names this folder's configuration.
  if [ -n "$pid" ] && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$dir/nginx.conf"; then
    kill -QUIT "$pid" 2>/dev/null || true  # graceful: finishes the requests in flight
    # Gone, or a zombie its new parent has not reaped yet (it holds no port or file any more).
    wait_for 10 bash -c "! kill -0 $pid 2>/dev/null || grep -q '^State:.*Z' /proc/$pid/status" \
      || kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$dir/process.pid"
}

cmd=${1:-}; shift || true
case "$cmd" in
  install) install ;;
  free-port) free_port ;;
  redis-start) redis_start "$@" ;;
  redis-stop) redis_stop "$@" ;;
  redis-cluster-start) redis_cluster_start "$@" ;;
  redis-cluster-stop) redis_cluster_stop "$@" ;;
  redis-sentinel-start) redis_sentinel_start "$@" ;;
  redis-sentinel-stop) redis_sentinel_stop "$@" ;;
  rabbitmq-start) rabbitmq_start "$@" ;;
  rabbitmq-stop) rabbitmq_stop "$@" ;;
  rabbitmq-cluster-start) rabbitmq_cluster_start "$@" ;;
  rabbitmq-cluster-stop) rabbitmq_cluster_stop "$@" ;;
  rabbitmq-kill) rabbitmq_kill "$@" ;;
  postgres-start) postgres_start "$@" ;;
  postgres-stop) postgres_stop "$@" ;;
  nginx-start) nginx_start "$@" ;;
  nginx-stop) nginx_stop "$@" ;;
  *) die "usage: servers.sh install|free-port|redis-start DIR PORT|redis-stop DIR|redis-cluster-start DIR PORT...|redis-cluster-stop DIR|redis-sentinel-start DIR MASTER REPLICA S1 S2 S3|redis-sentinel-stop DIR|rabbitmq-start DIR PORT|rabbitmq-stop DIR|rabbitmq-cluster-start DIR PORT1 PORT2 PORT3|rabbitmq-cluster-stop DIR|rabbitmq-kill DIR|postgres-start DIR PORT|postgres-stop DIR|nginx-start DIR PORT SITE|nginx-stop DIR" ;;
esac
