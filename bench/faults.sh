#!/usr/bin/env bash
# The long fault drills (issue #7), opt-in and separate from bench/run.sh (~8 minutes): builds Release, starts
# throw-away redis-server and rabbitmq-server, then `WecomBridge.Bench faults`: a dispatcher process sends a steady
# stream of customer tasks (BENCH_FAULTS_RATE per s, default 5) through POST /api/v1/messages to the WeCom fake,
# which answers 5xx, errcode 45009, errcode 45033, then slower than the client waits, each for BENCH_FAULTS_HOLD
# seconds (default 60), with 5 s of normal traffic before and 10 s after. Writes BENCH_FAULTS_OUT (default
# docs/benchmarks-faults.md): what became of every send and whether any task was created twice.
set -euo pipefail
cd "$(dirname "$0")/.."
HOLD=${BENCH_FAULTS_HOLD:-60} RATE=${BENCH_FAULTS_RATE:-5} OUT=${BENCH_FAULTS_OUT:-docs/benchmarks-faults.md}
LOADAVG=$(cut -d' ' -f1-3 /proc/loadavg) STARTED=$(date -u '+%Y-%m-%d %H:%M UTC')
TMP=$(mktemp -d /tmp/wb-faults.XXXXXX)
cleanup() {
  scripts/servers.sh rabbitmq-stop "$TMP/rabbitmq" >/dev/null 2>&1 || true
  scripts/servers.sh redis-stop "$TMP/redis" >/dev/null 2>&1 || true
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log() { echo "faults: $*" >&2; }

log "building Release"
dotnet build -c Release bench/WecomBridge.Bench -v q -nologo >/dev/null
scripts/servers.sh install
REDIS_PORT=$(scripts/servers.sh free-port) RABBIT_PORT=$(scripts/servers.sh free-port)
scripts/servers.sh redis-start "$TMP/redis" "$REDIS_PORT"
scripts/servers.sh rabbitmq-start "$TMP/rabbitmq" "$RABBIT_PORT"
log "holding each fault for $HOLD s under $RATE sends/s"
dotnet bench/WecomBridge.Bench/bin/Release/net10.0/WecomBridge.Bench.dll faults --amqp "amqp://guest:guest@127.0.0.1:$RABBIT_PORT/" \
  --redis "127.0.0.1:$REDIS_PORT" --hold-seconds "$HOLD" --rate "$RATE" --log "$TMP/dispatcher.log" | tee "$TMP/results.txt" >&2

v() { awk -v n="name=$1" -v k="$2" '$1=="FAULT" && $2==n { for (i=3;i<=NF;i++) { split($i,kv,"="); if (kv[1]==k) print kv[2] } }' "$TMP/results.txt"; }
{
  cat <<HEAD
# Long fault drills

Measured by \`bench/faults.sh\` on $STARTED (load average at start: $LOADAVG) on the 2-core machine of
docs/benchmarks.md, with its own Redis and RabbitMQ. Regenerate with \`bench/faults.sh\` (BENCH_FAULTS_HOLD,
BENCH_FAULTS_RATE).

A WecomBridge process with the Dispatcher role sends customer tasks (\`add_msg_template\`, one sender, one customer)
through \`POST /api/v1/messages\` at $RATE per second to the WeCom fake hosted by the bench, which answers one fault
for $HOLD s, with 5 s of normal traffic before and 10 s after. The dispatcher runs with shorter retry delays than the
defaults so that each drill ends in minutes (\`Dispatch:RetryBaseDelay\` 2 s, \`RetryMaxDelay\` 30 s,
\`ThrottlePause\` 10 s; the defaults are 5 s, 10 min and 60 s). "slow" answers after 20 s, longer than the client
waits. "created twice" counts tasks the fake created more than once for one send; "results twice", sends with more
than one result event.

| fault | sends accepted (before / during / after) | sent | ambiguous | failed | no result | sent after the fault | tasks created | created twice | calls (answered with the fault) | results twice | last result after the stream |
|---|---|---|---|---|---|---|---|---|---|---|---|
HEAD
  for f in 5xx 45009 45033 slow; do
    [ -n "$(v $f accepted)" ] || continue
    echo "| $f | $(v $f accepted) ($(v $f before) / $(v $f during) / $(v $f after)) | $(v $f sent) | $(v $f ambiguous) | $(v $f failed) | $(v $f none) | $(v $f after_sent) of $(v $f after) | $(v $f created) | $(v $f created_twice) | $(v $f calls) ($(v $f fault_uses)) | $(v $f results_twice) | $(v $f last_result_s) s |"
  done
  cat <<'TAIL'

What the dispatcher does with each (docs/fault-drills.md has the short drills that assert it):
- **5xx**: the call may have been made, so the send ends `ambiguous` (MessageOutcomeUnknown) and is never repeated.
- **45009** (API frequency): certainly not made; the limiter's bucket pauses (`ThrottlePause`) and the sends wait
  without spending their retry budget; all go once the fault ends.
- **45033** (too many concurrent calls): certainly not made; retried with backoff through delayed redelivery; a send
  whose budget runs out before the fault ends is `failed` with its reason.
- **slow**: a call slower than the client waits may still be done by WeCom (the fake does it): `ambiguous`, never repeated.
  The fake slows the calls that reach it during the fault; sends accepted during the fault whose call came after it
  are sent.
TAIL
} > "$OUT"
log "wrote $OUT"
