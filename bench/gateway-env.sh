# Sourced by bench/series.sh and bench/soak.sh: the gateway's configuration for the bench (Production,
# servers mode, Gateway role, the bench corp/app of Fixtures.cs as in bench/run.sh, plus the bench
# Official Account of MixedCallbacks.cs in safe mode) and a function that starts a fresh gateway.
# The WeCom/OA APIs are the WecomBridge.Fakes server (start_fakes) with a fixture that knows every customer,
# chat and follower the mixed callbacks name, so that the gateway's enrichment consumers (they run in the
# Gateway role and read the API after each added/edited contact, chat update and subscribe) do their real
# work. (bench/run.sh's closed-loop runs point the API at a closed port instead: there every enrichment
# read fails and is retried, and the gateway log fills with its stack traces.)

# start_fakes DIR: the fake WeCom and OA APIs on free loopback ports; sets FAKES_PID, WECOM_API, OA_API.
start_fakes() {
  mkdir -p "$1"
  $BENCH fixture --out "$1/fixture.json" >/dev/null
  local wp op; wp=$(scripts/servers.sh free-port); op=$(scripts/servers.sh free-port)
  WECOM_API="http://127.0.0.1:$wp/" OA_API="http://127.0.0.1:$op/"
  dotnet src/WecomBridge.Fakes/bin/Release/net10.0/WecomBridge.Fakes.dll serve --wecom-port "$wp" --oa-port "$op" \
    --fixture "$1/fixture.json" > "$1/fakes.log" 2>&1 &
  FAKES_PID=$!
  local deadline=$((SECONDS + 60))
  until (echo > "/dev/tcp/127.0.0.1/$wp") 2>/dev/null && (echo > "/dev/tcp/127.0.0.1/$op") 2>/dev/null; do
    if [ $SECONDS -ge $deadline ] || ! kill -0 "$FAKES_PID" 2>/dev/null; then
      echo "bench: the fake APIs did not start (log: $1/fakes.log)" >&2; tail -20 "$1/fakes.log" >&2; return 1
    fi
    sleep 0.3
  done
}

stop_fakes() {
  [ -n "${FAKES_PID:-}" ] || return 0
  kill "$FAKES_PID" 2>/dev/null || true
  wait "$FAKES_PID" 2>/dev/null || true
  FAKES_PID=""
}

# gateway_env AMQP REDIS SPOOL_DIR (after start_fakes)
gateway_env() {
  export DOTNET_ENVIRONMENT=Production ASPNETCORE_ENVIRONMENT=Production
  export ConnectionStrings__RabbitMq="$1" ConnectionStrings__Redis="$2"
  export Bridge__Roles__0=Gateway Polling__Moments__Enabled=false
  export WeCom__BaseUrl="$WECOM_API" OfficialAccounts__BaseUrl="$OA_API"
  export WeCom__Corps__bench__CorpId=wwbench0000000001 WeCom__Corps__bench__ContactSecret=bench
  export WeCom__Corps__bench__Apps__crm__AgentId=1000002 WeCom__Corps__bench__Apps__crm__Secret=bench
  export WeCom__Corps__bench__Apps__crm__Token=benchToken0123456789
  export WeCom__Corps__bench__Apps__crm__EncodingAesKey=abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG
  export OfficialAccounts__Accounts__benchoa__AppId=wxbench000000001 OfficialAccounts__Accounts__benchoa__Secret=bench
  export OfficialAccounts__Accounts__benchoa__Token=benchOaToken0123456789
  export OfficialAccounts__Accounts__benchoa__EncodingAesKey=ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut
  export Gateway__Spool__Path="$3"
  export Logging__LogLevel__Default=Warning Logging__LogLevel__MassTransit=Warning
  # MassTransit 8.4+ reports anonymous usage telemetry over the internet after the bus starts (the sample soak's
  # log had "Failed to report usage telemetry"): no outbound calls from the bench.
  export MASSTRANSIT_USAGE_TELEMETRY=false
}

# start_gateway LOGFILE: starts the Release build on a free loopback port; sets GW_URL and GW_PID.
start_gateway() {
  local port; port=$(scripts/servers.sh free-port)
  GW_URL="http://127.0.0.1:$port"
  ASPNETCORE_URLS=$GW_URL dotnet src/WecomBridge/bin/Release/net10.0/WecomBridge.dll >> "$1" 2>&1 &
  GW_PID=$!
  local deadline=$((SECONDS + 60))
  until curl -fsS "$GW_URL/health/ready" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ] || ! kill -0 "$GW_PID" 2>/dev/null; then
      echo "bench: the gateway did not become ready (log: $1)" >&2; tail -30 "$1" >&2; return 1
    fi
    sleep 0.3
  done
}

stop_gateway() {
  [ -n "${GW_PID:-}" ] || return 0
  kill "$GW_PID" 2>/dev/null || true
  wait "$GW_PID" 2>/dev/null || true
  GW_PID=""
}

# beam_pid PORT: the beam.smp of the node wb-PORT@localhost (scripts/servers.sh), 0 if not found.
beam_pid() {
  local p; for p in $(pgrep beam.smp || true); do
    grep -qz "^RABBITMQ_NODENAME=wb-$1@localhost\$" "/proc/$p/environ" 2>/dev/null && { echo "$p"; return; }
  done; echo 0
}
