#!/usr/bin/env bash
# Writes docs/benchmarks.md (to stdout) from the RESULT/CPU lines bench/run.sh collected.
# Input through the environment: BENCH_RESULTS (file), BENCH_HWM_KB, BENCH_LOADAVG, BENCH_STARTED,
# BENCH_QUICK, BENCH_MICRO (BenchmarkDotNet's GitHub markdown table).
set -euo pipefail
R=$BENCH_RESULTS

f() { awk -v n="name=$1" -v k="$2" '($1=="RESULT" || $1=="CPU" || $1=="CLK" || $1=="STALLS") && $2==n { for (i=3;i<=NF;i++) { split($i,kv,"="); if (kv[1]==k) v=kv[2] } } END { print v }' "$R"; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
pct() { calc "%.0f%%" "100 * $1 / $2"; }
cpu_per_1000() { # CPU seconds per 1,000 callbacks of run $1 from its CPU line's field $2 (clock ticks)
  local ticks clk n; ticks=$(f "$1" "${2:-gateway}"); clk=$(f clk clk); n=$(f "$1" requests)
  calc "%.2f" "$ticks / $clk / $n * 1000"
}
cpu_ms_per_op() { calc "%.3f" "$(f "$1" cpu_s) / $(f "$1" requests) * 1000"; }
cpu_row() { local n=$1 load_cpu
  load_cpu=$(calc "%.2f" "$(f $n cpu_s) / $(f $n requests) * 1000")
  echo "| $n | $(cpu_per_1000 $n) | $(cpu_per_1000 $n rabbit) | $(cpu_per_1000 $n redis) | $load_cpu | $(cpu_per_1000 $n busy) | $(calc "%.0f%%" "100 * $(f $n busy) / $(f $n total)") | $(calc "%.0f%%" "100 * $(f $n steal) / $(f $n total)") |"
}
row() { # name label [cpu] [fraction text]
  echo "| $2 | $(f "$1" connections) | $(f "$1" requests) | **$(f "$1" per_s)** | $(f "$1" p50_ms) | $(f "$1" p99_ms) | $(f "$1" p999_ms) | $(nonok "$1") | ${3:-} | ${4:-} |"
}
nonok() { local n; n=$(f "$1" non200); [ "$n" = 0 ] && echo 0 || echo "$n (status:count $(f "$1" codes | tr ',' ' '))"; }
stage_label() { case $1 in
  dedupe) echo "Redis dedupe (claim + mark done)";; publish) echo "the app's event publisher (RabbitMQ.Client, 4 channels, coalesced writes)";;
  raw1ch) echo "RabbitMQ.Client publish, 1 channel";; raw4ch) echo "RabbitMQ.Client publish, 4 channels";;
  intake) echo "whole EventIntake";; esac; }
verdict() { awk "BEGIN { print ($1) ? \"met\" : \"**not met**\" }"; }

# The runs with a consumer that keeps up (bench/run.sh, --drain); empty when the run has none.
drained_section() {
  [ -n "$(f gateway-c64-drained per_s)" ] || return 0
  cat <<DRAINED

### With a consumer that keeps up

The runs above leave every event in bench.events (no consumer), so the broker stores a backlog that grows by the
run's whole count. Here a consumer in the load generator's process takes the queue as it fills (manual acks, one per
message, 256 unacknowledged at most), as a CRM that keeps up does: RabbitMQ can then confirm a persistent message
once it is delivered and acknowledged, but the deliveries and acks cost broker and load-generator CPU on the same
2 cores. The ceiling's queue had the same consumer.

| run | connections / in flight | per s | p50 | p99 | p99.9 | RabbitMQ CPU s per 1,000 | load generator + consumer CPU s per 1,000 | machine busy | gateway as fraction |
|---|---|---|---|---|---|---|---|---|---|
| broker ceiling, 64 on 4 channels, drained | 64 | **$(f broker-64x4-drained per_s)** | $(f broker-64x4-drained p50_ms) | $(f broker-64x4-drained p99_ms) | $(f broker-64x4-drained p999_ms) | $(cpu_per_1000 broker-64x4-drained rabbit) | | | |
| broker ceiling, 8 on 8 channels, drained | 8 | **$(f broker-8x8-drained per_s)** | $(f broker-8x8-drained p50_ms) | $(f broker-8x8-drained p99_ms) | $(f broker-8x8-drained p999_ms) | $(cpu_per_1000 broker-8x8-drained rabbit) | | | |
| **gateway**, 8 connections, drained | 8 | **$(f gateway-c8-drained per_s)** | $(f gateway-c8-drained p50_ms) | $(f gateway-c8-drained p99_ms) | $(f gateway-c8-drained p999_ms) | $(cpu_per_1000 gateway-c8-drained rabbit) | $(cpu_ms_per_op gateway-c8-drained) | $(calc "%.0f%%" "100 * $(f gateway-c8-drained busy) / $(f gateway-c8-drained total)") | $(pct "$(f gateway-c8-drained per_s)" "$(f broker-8x8-drained per_s)") of broker 8×8 drained |
| **gateway**, 64 connections, drained | 64 | **$(f gateway-c64-drained per_s)** | $(f gateway-c64-drained p50_ms) | $(f gateway-c64-drained p99_ms) | $(f gateway-c64-drained p999_ms) | $(cpu_per_1000 gateway-c64-drained rabbit) | $(cpu_ms_per_op gateway-c64-drained) | $(calc "%.0f%%" "100 * $(f gateway-c64-drained busy) / $(f gateway-c64-drained total)") | $(pct "$(f gateway-c64-drained per_s)" "$(f broker-64x4-drained per_s)") of broker 64×4 drained |

Stalls over 15 ms at 8 connections, drained: $(f gateway-c8-drained slow) slow requests in $(f gateway-c8-drained stalls) stalls, $(f gateway-c8-drained all_loops) with all 8
waiting (without the consumer, above: $(f gateway-c8 all_loops)). The targets with a consumer: ≥ 6,000/s with p99 < 50 ms at 64:
$(verdict "$(f gateway-c64-drained per_s) >= 6000 && $(f gateway-c64-drained p99_ms) < 50") ($(f gateway-c64-drained per_s)/s, p99 $(f gateway-c64-drained p99_ms) ms); p99 < 15 ms at 8:
$(verdict "$(f gateway-c8-drained p99_ms) < 15") ($(f gateway-c8-drained p99_ms) ms).
DRAINED
}

# The shared limiter against a platform counting arrivals (WecomBridge.Bench limiter, LimiterBench.cs); empty when skipped.
pacing_section() {
  [ -n "$(f pacing-paced calls)" ] || return 0
  local p=pacing-paced c=pacing-counted
  cat <<PACING
## The shared limiter against a platform counting arrivals

\`WecomBridge.Bench pacing\`: $(f $p instances) limiter instances (each its own Redis connection and HttpClient,
$(f $p callers) callers in all) make $(f $p calls) calls of one bucket limited to $(f $p limit) per $(f $p window_s) s, to an
in-process endpoint that refuses a call when the sliding window before its arrival already holds the limit of accepted
calls (every window, not fixed slots). Each caller reserves a slot up to 2 s ahead (else waits and asks again, as the
dispatcher defers), waits for it and calls; a refused call is made again.

| bucket | refused | use of the limit | slot → call leaving, p50 / p99 / max ms | load average |
|---|---|---|---|---|
| paced (SafetyMargin $(f $p margin)) | **$(f $p refused)** | $(f $p used_pct) % | $(f $p p50) / $(f $p p99) / $(f $p max) | $(f $p loadavg) |
| counted (a sliding-window count) | **$(f $c refused)** | $(f $c used_pct) % | $(f $c p50) / $(f $c p99) / $(f $c max) | $(f $c loadavg) |

A counted bucket hands out a window's permits as soon as it frees, so calls leave in bursts at window starts and
arrive unevenly after them: the platform's windows, shifted by those delays, catch more than the limit. A paced
bucket has no burst; its margin covers arrival delays that differ by up to SafetyMargin × window (150 ms here).
PACING
}

# The dispatcher's section (WecomBridge.Bench sends, SendBench.cs); empty when the run skipped it (BENCH_SENDS=0).
sends_section() {
  [ -n "$(f sends-throughput sent_per_s)" ] || return 0
  local t=sends-throughput l=sends-limiter
  cat <<SENDS
## The dispatcher (sends)

\`WecomBridge.Bench sends\` hosts the WeCom and Official Account fakes (WecomBridge.Fakes) in the bench process and
starts its own WecomBridge (Release, Production, roles Gateway+Dispatcher, this run's RabbitMQ and Redis, its own
queue prefix) pointed at them: the whole path POST /api/v1/messages → RabbitMQ → dispatcher → fake API →
\`MessageSent\`, read by the bench from a queue bound to \`wecombridge.message-sent\`. Quiet hours off.

**Throughput** at a generous limit (\`ApiCallsPerMinute\` 1,000,000): $(f $t requests) template messages to
the fake account's followers, $(f $t connections) connections (closed loop), after $(f $t warmup) not measured (JIT, token, connections).

| | per s | p50 ms | p99 ms | count |
|---|---|---|---|---|
| accepted by the API (202) | **$(f $t accepted_per_s)** | $(f $t p50_ms) | $(f $t p99_ms) | $(f $t accepted) of $(f $t requests) (non-202: $(f $t non202)) |
| sent (\`MessageSent\` received), first POST to last event | **$(f $t sent_per_s)** | $(f $t sent_p50_ms) (202 → sent) | $(f $t sent_p99_ms) | $(f $t sent) sent, $(f $t failed) failed, $(f $t missing) missing |
| POST start → sent | | $(f $t e2e_p50_ms) | $(f $t e2e_p99_ms) | |

Sent per second is $(calc "%.1f%%" "100 * $(f $t sent_per_s) / $B64") of the broker ceiling of this run (broker-64x4, $B64 publishes/s; each
send is several broker operations: the command, its delivery, the result event). WecomBridge CPU: $(calc "%.2f" "$(f $t bridge) / $(f clk clk) / $(f $t sent) * 1000") ms per send
(RabbitMQ $(calc "%.2f" "$(f $t rabbit) / $(f clk clk) / $(f $t sent) * 1000") ms, Redis $(calc "%.2f" "$(f $t redis) / $(f clk clk) / $(f $t sent) * 1000") ms; machine $(calc "%.0f%%" "100 * $(f $t busy) / $(f $t total)") busy).

**Rate limiter** at a tight limit: corp \`tight\` (the fake corp under a second key) with \`ApiCallsPerMinute\`
$(f $l limit) and \`ApiCallsWindow\` 00:00:01; $(f $l requests) moment tasks posted at once after a warm-up on another
API (the token). From the fake's journal (time each call was answered): $(f $l calls) calls ($(f $l errors) refused),
**busiest 1 s window $(f $l max_in_window)** against the limit $(f $l limit) ($(f $l max_in_window_950ms) in any 950 ms), calls per
window from the first call: $(f $l per_window | tr ',' ' '). The calls spanned $(f $l span_s) s against $(f $l fastest_s) s at full use:
**utilization $(calc "%.0f%%" "100 * $(f $l utilization)")** (calls / (limit × (span / window + 1))). $(f $l sent) of $(f $l accepted) sent.
The limiter paces a corp's calls of an API on Redis's clock, one every window / limit × (1 + SafetyMargin 0.03),
never in bursts; a call reaches the fake some time after its slot, unevenly, and arrival delays that differ by less
than SafetyMargin × window (30 ms here) cannot put more than the limit in any window the fake looks at.

**Welcome latency**: add_external_contact callbacks at $(f sends-welcome rate)/s (open loop, $(f sends-welcome seconds) s), each with a
distinct welcome code issued in the fake just before its POST; latency from the POST to the fake's answer to
\`send_welcome_msg\` with that code (WeCom allows 20 s).

| run | callbacks (non-200) | welcomes sent | within 20 s | failed | missing | p50 ms | p99 ms | max ms | bulk sends at the same time |
|---|---|---|---|---|---|---|---|---|---|
$(for w in sends-welcome sends-welcome-bulk; do [ -n "$(f $w callbacks)" ] || continue
  echo "| $([ $w = sends-welcome ] && echo alone || echo "with bulk sends") | $(f $w callbacks) ($(f $w non200)) | $(f $w welcomes_sent) | $(f $w within_20s) | $(f $w failed) | $(f $w missing) | $(f $w p50_ms) | $(f $w p99_ms) | $(f $w max_ms) | $([ $w = sends-welcome ] && echo – || echo "$(f $w bulk_accepted) accepted at $(f $w bulk_accepted_per_s)/s on $(f $w bulk_connections) connections, $(f $w bulk_sent) of them sent by the stream's end") |"
done)

Load average during these runs: $(f $t loadavg | tr ',' ' ') (throughput), $(f sends-welcome loadavg | tr ',' ' ') (welcomes).
SENDS
}

B64=$(f broker-64x4 per_s); B8=$(f broker-8x8 per_s)
cat <<EOF
Generated by \`bench/run.sh\` (bench/report.sh). The page to read is [performance.md](performance.md).

# Benchmarks

Measured by \`bench/run.sh\` on $BENCH_STARTED$( [ "$BENCH_QUICK" = 1 ] && echo " (BENCH_QUICK=1: shortened runs)").
Regenerate with:

\`\`\`bash
bench/run.sh            # ~15 minutes; BENCH_QUICK=1 bench/run.sh for a short run
\`\`\`

## Machine

| | |
|---|---|
| CPU | $(nproc) × $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo) |
| memory | $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) |
| OS | $(. /etc/os-release; echo "$PRETTY_NAME"), kernel $(uname -r) |
| .NET | SDK $(dotnet --version), runtime $(dotnet --list-runtimes | awk '/NETCore.App/ { v=$2 } END { print v }') |
| RabbitMQ / Redis | $(dpkg-query -W -f '${Version}' rabbitmq-server 2>/dev/null) / $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/') |
| load average at start | $BENCH_LOADAVG (1, 5, 15 min) |

**The figures are noisy.** The machine has 2 cores, shared with other engineers during the run, and the
load generator, the gateway, Redis and RabbitMQ all run on it. Compare figures of the same run only; the
ceilings below were measured in the same run for that reason.

## Ceilings and the gateway

Closed-loop load: C connections, each sending the next request when the previous one is answered.
Gateway requests are distinct valid WeCom callbacks (add_external_contact, distinct ExternalUserID, built
by CallbackSimulator), so none is dropped as a duplicate. The gateway ran in Production with Redis dedupe
and its RabbitMQ.Client event publisher (4 channels, confirms tracked, what RabbitMQ.Client
writes meanwhile sent to the socket in one write), without its enrichment consumers
(\`Enrichment:Enabled=false\`, see docs/performance.md, "Enrichment off in the bench"); its event exchange had one durable queue bound (a classic queue of version ${BENCH_QUEUE_VERSION:-2}, mode ${BENCH_QUEUE_MODE:-lazy}: \`BENCH_QUEUE_VERSION\`, \`BENCH_QUEUE_MODE\`; the ceiling's queue is the same kind), as the
ceiling's queue, so every confirm covers a stored persistent message. non-200 counts every answer other than 200, including no answer. Latencies in ms.

| run | connections / in flight | requests | per s | p50 | p99 | p99.9 | non-200 | gateway CPU s per 1,000 | gateway as fraction of ceilings |
|---|---|---|---|---|---|---|---|---|---|
$(row broker-64x4 "broker ceiling: RabbitMQ.Client 7.2.2, 64 in flight on 4 channels")
$(row broker-8x8 "broker ceiling: 8 in flight on 8 channels")
$(row broker-64x1 "broker, for comparison: 64 in flight on 1 channel")
$(row http-c8 "HTTP ceiling: bare Kestrel, 8 connections")
$(row http-c64 "HTTP ceiling: bare Kestrel, 64 connections")
$(row http-c128 "HTTP ceiling: bare Kestrel, 128 connections")
$(row gateway-c8 "**gateway**, 8 connections" "$(cpu_per_1000 gateway-c8)" "$(pct "$(f gateway-c8 per_s)" "$B8") of broker 8×8, $(pct "$(f gateway-c8 per_s)" "$B64") of broker 64×4, $(pct "$(f gateway-c8 per_s)" "$(f http-c8 per_s)") of HTTP")
$(row gateway-c64 "**gateway**, 64 connections" "$(cpu_per_1000 gateway-c64)" "$(pct "$(f gateway-c64 per_s)" "$B64") of broker 64×4, $(pct "$(f gateway-c64 per_s)" "$(f http-c64 per_s)") of HTTP")
$(row gateway-c128 "**gateway**, 128 connections" "$(cpu_per_1000 gateway-c128)" "$(pct "$(f gateway-c128 per_s)" "$B64") of broker 64×4, $(pct "$(f gateway-c128 per_s)" "$(f http-c128 per_s)") of HTTP")

The gateway's event publisher connection had **${BENCH_CHANNELS} AMQP channel(s)** open after the runs
(\`rabbitmqctl list_connections channels client_properties\`).

CPU during the gateway runs, in CPU seconds per 1,000 callbacks (/proc/<pid>/stat utime+stime of each
process; the load generator's own CPU time; "whole machine" is /proc/stat's busy time, every process on
these $(nproc) CPUs; all measured over the load run's own window; "steal" is the time the hypervisor gave these
CPUs to other guests):

| run | gateway | RabbitMQ | Redis | load generator | whole machine | machine busy | steal |
|---|---|---|---|---|---|---|---|
$(for c in 8 64 128; do cpu_row gateway-c$c; done)

Gateway peak working set (VmHWM over its whole life, all runs above): **$(calc "%.0f" "$BENCH_HWM_KB / 1024") MiB**.

Targets (issue): ≥ 6,000 callbacks/s at 64 connections with p99 < 50 ms:
$(verdict "$(f gateway-c64 per_s) >= 6000 && $(f gateway-c64 p99_ms) < 50") ($(f gateway-c64 per_s)/s, p99 $(f gateway-c64 p99_ms) ms);
p99 < 15 ms at 8 connections: $(verdict "$(f gateway-c8 p99_ms) < 15") (p99 $(f gateway-c8 p99_ms) ms).
$(drained_section)

## Where the time goes

\`WecomBridge.Bench stages\` builds the gateway's own services through the app's registration code
(AddStorage, AddMessaging, AddCallbacks; same configuration, Production) without HTTP, and drives one
stage at a time on fresh events, C awaited operations at a time: the Redis dedupe alone (claim + mark
done), the app's \`IMessagePublisher.PublishAsync\` alone (RabbitMQ.Client on 4 channels, its socket writes coalesced,
which returns when RabbitMQ confirmed), RabbitMQ.Client 7.2.2 alone publishing the same events' JSON to the
same exchange (persistent, confirms tracked, each publish awaited) on 1 and on 4 channels, and the whole \`EventIntake.AcceptAsync\` (claim → publish → mark
done). The CPU part (envelope, verify, decrypt, parse) is in the micro-benchmarks below.

| stage | concurrency | ops | per s | p50 | p99 | p99.9 | failed | harness CPU ms per op | compared with |
|---|---|---|---|---|---|---|---|---|---|
$(for c in 8 64; do b=$([ $c = 8 ] && echo "$B8" || echo "$B64"); bn=$([ $c = 8 ] && echo "8×8" || echo "64×4")
  for s in dedupe publish raw1ch raw4ch intake; do n="stage-$s-c$c"
    echo "| $(stage_label $s) | $c | $(f $n requests) | **$(f $n per_s)** | $(f $n p50_ms) | $(f $n p99_ms) | $(f $n p999_ms) | $(nonok $n) | $(cpu_ms_per_op $n) | $(pct "$(f $n per_s)" "$b") of broker $bn; gateway-c$c: $(pct "$(f gateway-c$c per_s)" "$(f $n per_s)") of this |"
  done; done)

Reading the table (numbers from this run only):
- At 64 in flight, the app's publisher alone reaches $(f stage-publish-c64 per_s)/s (p50 $(f stage-publish-c64 p50_ms) ms,
  $(cpu_ms_per_op stage-publish-c64) ms of harness CPU per message). RabbitMQ.Client publishing the same bodies to the
  same exchange on one channel reaches $(f stage-raw1ch-c64 per_s)/s (p50 $(f stage-raw1ch-c64 p50_ms) ms, $(cpu_ms_per_op stage-raw1ch-c64) ms CPU),
  on four channels $(f stage-raw4ch-c64 per_s)/s (p50 $(f stage-raw4ch-c64 p50_ms) ms, $(cpu_ms_per_op stage-raw4ch-c64) ms CPU).
  The gateway's publisher connection had ${BENCH_CHANNELS} channel(s) open; every publish of the process shares them.
- At 8 in flight: the app's publisher $(f stage-publish-c8 per_s)/s, RabbitMQ.Client on 1 channel $(f stage-raw1ch-c8 per_s)/s, on 4 channels
  $(f stage-raw4ch-c8 per_s)/s. The Redis dedupe alone does $(f stage-dedupe-c64 per_s)/s at 64 (p50 $(f stage-dedupe-c64 p50_ms) ms)
  and $(f stage-dedupe-c8 per_s)/s at 8 (p50 $(f stage-dedupe-c8 p50_ms) ms).
- The whole intake does $(f stage-intake-c64 per_s)/s at 64 and $(f stage-intake-c8 per_s)/s at 8; the gateway over HTTP does
  $(f gateway-c64 per_s)/s and $(f gateway-c8 per_s)/s. Per callback at 64 in flight, the mean time a publish holds one of the 64
  slots is $(calc "%.2f" "64000 / $(f stage-publish-c64 per_s)") ms, the dedupe's $(calc "%.2f" "64000 / $(f stage-dedupe-c64 per_s)") ms,
  the whole intake's $(calc "%.2f" "64000 / $(f stage-intake-c64 per_s)") ms.
- CPU: during gateway-c64 the machine was $(calc "%.0f%%" "100 * $(f gateway-c64 busy) / $(f gateway-c64 total)") busy. Per callback, the gateway used
  $(cpu_per_1000 gateway-c64) ms of CPU, RabbitMQ $(cpu_per_1000 gateway-c64 rabbit) ms, Redis $(cpu_per_1000 gateway-c64 redis) ms and the load generator
  $(calc "%.2f" "$(f gateway-c64 cpu_s) / $(f gateway-c64 requests) * 1000") ms: together $(calc "%.2f" "($(f gateway-c64 gateway) + $(f gateway-c64 rabbit) + $(f gateway-c64 redis)) / $(f clk clk) / $(f gateway-c64 requests) * 1000 + $(f gateway-c64 cpu_s) / $(f gateway-c64 requests) * 1000") ms of the $(cpu_per_1000 gateway-c64 busy) ms the whole machine
  spent per callback; the rest went to other processes on the shared machine.$(awk "BEGIN { if ($(f gateway-c64 busy) >= 0.95 * $(f gateway-c64 total)) print \" The run was CPU-bound.\" }")
- CPU per publish: the app's publisher cost $(cpu_ms_per_op stage-publish-c64) ms of harness CPU per message at 64 in flight
  ($(cpu_ms_per_op stage-publish-c8) ms at 8); RabbitMQ.Client publishing the same bodies cost $(cpu_ms_per_op stage-raw1ch-c64) ms on one channel
  ($(cpu_ms_per_op stage-raw1ch-c8) ms at 8). The whole intake (dedupe + publish) cost $(cpu_ms_per_op stage-intake-c64) ms per callback at 64;
  the hot path's own CPU work (verify + decrypt + parse, micro-benchmarks below) is measured in µs.
- Serial stages: each callback awaits the Redis claim, then the publish confirm; the mark-done is sent without waiting.
  At 64 in flight the whole intake's p50 is $(f stage-intake-c64 p50_ms) ms against $(f stage-publish-c64 p50_ms) ms for the publish alone and
  $(f stage-dedupe-c64 p50_ms) ms for the Redis calls alone, and it completes $(f stage-intake-c64 per_s)/s against $(f stage-publish-c64 per_s)/s.$(awk "BEGIN {
    if ($(f stage-intake-c64 per_s) < 0.8 * $(f stage-publish-c64 per_s)) print \"\\n  With a fixed number of callbacks in flight, time spent in Redis is time in which fewer publishes are in\\n  flight at the broker.\";
    else print \"\\n  In this run the intake was not clearly slower than the publish alone: the difference is inside the\\n  run-to-run noise of this machine (compare the publish rows with the broker ceiling rows).\" }")
  HTTP then takes the gateway from $(f stage-intake-c64 per_s)/s (intake alone) to $(f gateway-c64 per_s)/s.
- Latency at 8 connections (target p99 < 15 ms): RabbitMQ.Client alone, 8 in flight on 8 channels, had
  p99 $(f broker-8x8 p99_ms) ms in this run; the app's publisher alone at 8, p99 $(f stage-publish-c8 p99_ms) ms; the gateway at 8, p99 $(f gateway-c8 p99_ms) ms.
- Slow requests alone or together (\`WecomBridge.Bench stalls\` on each run's timeline: requests over the bound whose
  time spans overlap form one stall). Gateway at 8 connections, over 15 ms: $(f gateway-c8 slow) of $(f gateway-c8 requests) requests,
  in $(f gateway-c8 stalls) stalls ($(f gateway-c8 stalls_per_s) per s, the longest $(f gateway-c8 longest_ms) ms); in $(f gateway-c8 all_loops) of them all 8 connections
  waited at once ($(f gateway-c8 slow_in_all_loops) of the slow requests). Broker 8×8, same bound: $(f broker-8x8 slow) of $(f broker-8x8 requests) publishes
  in $(f broker-8x8 stalls) stalls, $(f broker-8x8 all_loops) with all 8 waiting. Gateway at 64, over 50 ms: $(f gateway-c64 slow) of $(f gateway-c64 requests)
  in $(f gateway-c64 stalls) stalls, $(f gateway-c64 all_loops) with all 64 waiting. A stall in which every connection waits is something
  they all share: a process that stopped, or the CPUs taken by other work (docs/performance.md, "Stalls of all connections").
- The load generator is the bench's own raw HTTP/1.1 client (\`RawHttp.cs\`, one keep-alive socket per connection,
  pre-built requests, in the manner of wrk) on the same 2 CPUs; its own CPU is in the table above.

## What changed after the first runs, and what is left

The first runs of this bench (same machine, load average 6–8 from other work) measured the gateway with
MassTransit publishing on one AMQP channel: 2,839 callbacks/s at 64 connections (p99 169 ms) against a broker
ceiling of 6,854/s in that run, and MassTransit's publish cost about 3.5× the CPU of RabbitMQ.Client per
message (0.072 against 0.021 ms). Since then:
1. The gateway publishes events with RabbitMQ.Client 7 (\`RabbitMqMessagePublisher\`): 4 long-lived channels with
   confirm tracking, many publishes in flight on each, failing fast while the broker is away (the spool then
   takes the event). MassTransit stays for in-process consumers and the embedded mode.
2. The dedupe claim is one \`SET NX PX\`; the holder is read only when it fails.
3. The mark-done is sent without waiting for its round trip.
4. The publisher's socket sends what RabbitMQ.Client writes meanwhile in one \`send\` (\`CoalescingTcpClient\`)
   instead of one per publish: in alternated runs at 64 connections 6,200–6,622 against 4,636–4,884 callbacks/s,
   p99 20–21 against 40–41 ms, RabbitMQ's CPU per callback 0.076 against 0.13 ms. (Group commit, tried before it,
   made no difference once the writes were coalesced and was removed.)
5. The bench's queues are lazy (\`BENCH_QUEUE_MODE\`): in RabbitMQ 3.10's default mode the unconsumed backlog
   stalled all connections at once several times a second (p99 at 8 connections 13–15 ms against 7–8 ms lazy, at
   64 50–57 against 29–31 ms, in alternated runs); docs/performance.md, "Queues for CRMs: lazy mode and version 2", has the figures.

Left: the figures above are from a shared 2-core machine where load generator, gateway, RabbitMQ and Redis
compete for the same CPUs; judge the issue's targets on a machine that is not shared, comparing the
"machine busy" column and the whole-machine CPU per callback with the sum of the four measured processes.

## Hot path micro-benchmarks

BenchmarkDotNet 0.15.8, ShortRun job, in-process toolchain, [MemoryDiagnoser]: one typical
add_external_contact callback (about 900-byte POST body).

$(echo "$BENCH_MICRO" | sed "s/&#39;//g")

$(bench/report-series.sh)

$(sends_section)

$(pacing_section)

$(bench/report-soak.sh section)

## Raw results of this run

\`\`\`
$(grep -E '^(RESULT|CPU|CLK)' "$R")
\`\`\`
EOF
