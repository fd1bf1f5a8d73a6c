#!/usr/bin/env bash
# The soak's report (to stdout).
#   report-soak.sh full      the whole soak document, from BENCH_RESULTS (the SOAK/SOAKSUM/QUEUE/LOG lines of
#                            bench/soak.sh), BENCH_LOADAVG, BENCH_LOADAVG_END, BENCH_STARTED, BENCH_ENDED, BENCH_SVG
#                            and BENCH_SOAK_NOTE (optional, a bold line under the title)
#   report-soak.sh section   the "Soak" section of docs/benchmarks.md: the summary of docs/benchmarks-soak.md
#                            when a soak was run, else how to run one (called by bench/report.sh and bench/soak.sh)
set -euo pipefail
DOC=docs/benchmarks-soak.md

if [ "${1:-}" = section ]; then
  echo "<!-- soak:begin -->"
  echo "## Soak"
  echo
  if [ -f "$DOC" ]; then
    awk '/<!-- summary:end -->/ { p = 0 } p; /<!-- summary:begin -->/ { p = 1 }' "$DOC"
    echo
    echo "Every interval, the chart and the raw lines: [benchmarks-soak.md](benchmarks-soak.md)."
  else
    echo "No soak has been run with this version: \`bench/soak.sh\` (30 minutes at 200 callbacks/s and 20 sends/s;"
    echo "\`BENCH_SOAK_MINUTES\`, \`BENCH_SOAK_RATE\`, \`BENCH_SOAK_SENDS\`, \`BENCH_SOAK_INTERVAL\`) writes [benchmarks-soak.md](benchmarks-soak.md) and this section."
    for sample in docs/benchmarks-soak-sample-*.md; do
      [ -f "$sample" ] && echo "A short sample run, not the soak itself: [$(basename "$sample")]($(basename "$sample"))."
    done
  fi
  echo "<!-- soak:end -->"
  exit 0
fi

R=$BENCH_RESULTS
s() { awk -v k="$1" '$1=="SOAKSUM" { for (i=2;i<=NF;i++) { split($i,kv,"="); if (kv[1]==k) v=kv[2] } } END { print v }' "$R"; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
CLK=$(awk '$1=="CLK" { split($3,kv,"="); print kv[2] }' "$R"); CLK=${CLK:-100}
# Per-interval columns as "t p50 p99 p999 rss hwm answered gateway busy total ..." for awk below.
rows() { awk '$1=="SOAK" { delete v; for (i=2;i<=NF;i++) { split($i,kv,"="); v[kv[1]]=kv[2] }
  print v["t_s"], v["answered"], v["per_s"], v["p50_ms"], v["p99_ms"], v["p999_ms"], v["max_ms"], v["non200"], v["rss_mb"], v["hwm_mb"], v["gateway"], v["rabbit"], v["redis"], v["fakes"], v["busy"], v["total"], v["load_cpu_s"],
    d(v["sends_202"]), d(v["send_p50_ms"]), d(v["send_p99_ms"]), d(v["disp_rss_mb"]), d(v["gw_pause_ms"]), d(v["gw_pause_max_ms"]), d(v["gw_gen2"]), d(v["lg_pause_ms"]), d(v["dispatcher"]), d(v["send_max_ms"]), d(v["lg_gen2"]),
    d(v["probe_timer_ms"]), d(v["probe_broker_ms"]), d(v["probe_redis_ms"]), d(v["io_some_ms"]), d(v["io_full_ms"]), d(v["cpu_some_ms"]), d(v["lg_runq_ms"]), d(v["gw_runq_ms"]), d(v["fakes_pause_ms"]), d(v["fakes_pause_max_ms"]), d(v["fakes_gen2"]), d(v["gw_heap_mb"]), d(v["fakes_heap_mb"]) }
  function d(x) { return x == "" ? "-" : x }' "$R"; }
# thirds COL: for one column of rows, as for the gateway below: value after the warm-up, mean of the middle and the
# last third, median of the first and the last third, the highest value, the last value.
thirds() { rows | awk -v c="$1" '
  function median(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n == 0 ? 0 : (n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2) }
  { n++; x[n] = $c + 0; if (x[n] > mx) mx = x[n] }
  END {
    w = int(n / 6); if (w < 1) w = 1; if (w >= n) w = n - 1; if (w < 0) w = 0
    m = n - w; third = int(m / 3); if (third < 1) third = 1
    for (i = w + 1; i <= w + third; i++) a[++na] = x[i]
    for (i = n - third + 1; i <= n; i++) { b[++nb] = x[i]; last += x[i] }
    for (i = w + third + 1; i <= n - third; i++) { mid += x[i]; nm++ }
    if (nm == 0) { mid = x[w + 1]; nm = 1 }
    printf "%.1f %.1f %.1f %.2f %.2f %.2f %.1f\n", x[w + 1], mid / nm, last / third, median(a, na), median(b, nb), mx, x[n] }'; }
# stats: warm-up = first sixth of the intervals (at least one); thirds of the rest.
read -r N RSS_MID RSS_LAST RSS_FIRST RSS_END HWM_END P99_FIRST P99_LAST P99_MAX GW_CPU RB_CPU RD_CPU FK_CPU BUSY ANSWERED LOAD_CPU < <(rows | awk -v clk="$CLK" '
  function median(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n == 0 ? 0 : (n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2) }
  { n++; p99[n] = $5; rss[n] = $9; hwm[n] = $10; ans += $2; gw += $11; rb += $12; rd += $13; fk += $14; busy += $15; lc += $17; if ($5 > mx) mx = $5 }
  END {
    w = int(n / 6); if (w < 1) w = 1; if (w >= n) w = n - 1; if (w < 0) w = 0
    m = n - w; third = int(m / 3); if (third < 1) third = 1
    for (i = w + 1; i <= w + third; i++) { a[++na] = p99[i] }
    for (i = n - third + 1; i <= n; i++) { b[++nb] = p99[i]; rl += rss[i] }
    for (i = w + third + 1; i <= n - third; i++) { rm += rss[i]; nm++ }
    if (nm == 0) { rm = rss[w + 1]; nm = 1 }
    printf "%d %.1f %.1f %.1f %.1f %.1f %.2f %.2f %.2f %.3f %.3f %.3f %.3f %.3f %d %.2f\n", n, rm / nm, rl / third, rss[w + 1], rss[n], hwm[n],
      median(a, na), median(b, nb), mx, gw / clk / ans * 1000, rb / clk / ans * 1000, rd / clk / ans * 1000, fk / clk / ans * 1000, busy / clk / ans * 1000, ans, lc / ans * 1000 }')
verdict() { awk "BEGIN { print ($1) ? \"$2\" : \"$3\" }"; }
LOST=$(s lost) DUP=$(s duplicated) OK=$(s ok)
MINUTES=$(calc "%.0f" "$(s seconds) / 60"); MIN_WORD=$([ "$MINUTES" = 1 ] && echo minute || echo minutes)
SENDS=$(s sends_per_s); SENDS=${SENDS:-0}
# Slow intervals (callback p99 above 50 ms) against the others: medians of what the probes and pressure saw.
STALLS=$(rows | awk '$29 != "-" {
    k = ($5 > 50) ? "s" : "n"; c[k]++; for (j = 0; j < 8; j++) x[k, j, c[k]] = $(29 + j) }
  function median(k, j,   i, m, a, t, n) { n = c[k]; for (i = 1; i <= n; i++) a[i] = x[k, j, i]
    for (i = 1; i <= n; i++) for (m = i + 1; m <= n; m++) if (a[m] < a[i]) { t = a[i]; a[i] = a[m]; a[m] = t }
    return n == 0 ? 0 : a[int((n + 1) / 2)] }
  END { if (c["s"] + c["n"] == 0) { print "not recorded in this run"; exit }
    printf "%d of %d intervals had a callback p99 above 50 ms. Medians in those / in the others: longest timer lateness %.1f / %.1f ms, longest broker confirm %.1f / %.1f ms, longest Redis PING %.1f / %.1f ms, I/O some %.0f / %.0f ms, I/O full %.0f / %.0f ms, CPU wait %.0f / %.0f ms, load generator run queue %.0f / %.0f ms, gateway run queue %.0f / %.0f ms per interval",
      c["s"], c["s"] + c["n"], median("s", 0), median("n", 0), median("s", 1), median("n", 1), median("s", 2), median("n", 2), median("s", 3), median("n", 3), median("s", 4), median("n", 4), median("s", 5), median("n", 5), median("s", 6), median("n", 6), median("s", 7), median("n", 7) }')
GW_GC=$(rows | awk '$22 != "-" { n++; p += $22; g += $24; if ($23 > m) m = $23; l += $25 }
  END { if (n == 0) print "not recorded in this run"; else printf "gateway %.0f ms in %d gen2 collections and the others, longest pause %.1f ms; load generator %.0f ms", p, g, m, l }')
if [ "$SENDS" != 0 ]; then
  read -r D_FIRST D_MID D_LAST _ _ D_MAX D_END < <(thirds 21)
  read -r _ _ _ SP99_FIRST SP99_LAST SP99_MAX _ < <(thirds 20)
  D_CPU=$(rows | awk -v clk="$CLK" '{ t += $26; a += $18 } END { printf "%.3f", (a > 0 ? t / clk / a * 1000 : 0) }')
  NO_FINAL=$(s send_no_final) TWICE=$(s send_created_twice) RDUP=$(s send_result_dup) NOT_CREATED=$(s send_sent_not_created) STRAY=$(s send_created_not_accepted)
  SEND_TITLE=" and $SENDS sends/s"
  SEND_ROWS="| sends answered: POST /api/v1/messages answered 202 (open loop, $SENDS/s) | $(s send_accepted) of $(s send_posted) ($(s send_non202) not) | |
| sends: every accepted send reached a final state (a result event) | $(s send_sent) sent, $(s send_failed) failed, $(s send_unknown) outcome unknown; $NO_FINAL without a result | **$(verdict "$NO_FINAL == 0" "met" "not met")** |
| sends: none created twice at the fake (template messages per client_msg_id = message id) | $TWICE created twice ($(s send_created) created by $(s send_fake_calls) calls, $(s send_called_twice) ids called more than once); $RDUP ids with two result events | **$(verdict "$TWICE == 0 && $RDUP == 0" "met" "not met")** |
| sends: none lost | $NOT_CREATED reported sent but not at the fake; $STRAY created at the fake without an accepted send | **$(verdict "$NOT_CREATED == 0 && $STRAY == 0" "met" "not met")** |
| sends: dispatcher memory flat (working set, as for the gateway) | $D_MID → $D_LAST MiB ($(calc "%+.1f%%" "100 * ($D_LAST - $D_MID) / $D_MID")); $D_FIRST MiB after warm-up, $D_END MiB at the end | **$(verdict "$D_LAST <= 1.05 * $D_MID" "flat (within 5%)" "grew more than 5%")** |
| sends: send API latency does not drift (median of the per-interval p99, first third against last third) | $SP99_FIRST → $SP99_LAST ms (highest interval p99 $SP99_MAX ms); from the 202 to the sent result: p50 $(s send_to_sent_p50_ms) ms, p99 $(s send_to_sent_p99_ms) ms, max $(s send_to_sent_max_ms) ms (after the first sixth of the run: p50 $(s send_to_sent_warm_p50_ms) ms, p99 $(s send_to_sent_warm_p99_ms) ms) | **$(verdict "$SP99_LAST <= 1.5 * $SP99_FIRST" "no drift (within ×1.5)" "drifted (more than ×1.5)")** |"
  SEND_TEXT="At the same time, $SENDS template messages per second (open loop) to \`POST /api/v1/messages\` of a second WecomBridge
process with the Dispatcher role only, which the bench starts (same RabbitMQ and Redis; it also consumes the gateway's
contact and follower events for its suppression list) against fake WeCom/OA APIs hosted in the bench process, whose
journal is read at the end: template messages created and calls made per \`client_msg_id\` (the dispatcher sets it to the
message id). Quiet hours are off and the call limit is 1,000,000/min, far above the rate: nothing is throttled or
deferred by design. Send latency counts from the moment each POST was due to its 202; a send's final state is its
result event (\`message-sent\`, \`message-failed\`, \`message-outcome-unknown\`) on a queue of the bench."
else
  SEND_TITLE="" SEND_ROWS="" D_CPU=""
  SEND_TEXT="No sends in this run (\`BENCH_SOAK_SENDS=0\`)."
fi

cat <<EOT
Generated by \`bench/soak.sh\` (bench/report-soak.sh). The page to read is [performance.md](performance.md).

# Soak
${BENCH_SOAK_NOTE:+
**$BENCH_SOAK_NOTE**
}
Measured by \`bench/soak.sh\` from $BENCH_STARTED to $BENCH_ENDED: **$MINUTES $MIN_WORD at $(s rate) callbacks/s$SEND_TITLE**
(open loop), one line every $(s interval_s) s. Reproduce with:

\`\`\`bash
BENCH_SOAK_MINUTES=$MINUTES BENCH_SOAK_RATE=$(s rate) BENCH_SOAK_SENDS=$SENDS BENCH_SOAK_INTERVAL=$(s interval_s) bench/soak.sh
\`\`\`

| | |
|---|---|
| CPU | $(nproc) × $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo) |
| memory | $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) |
| OS | $(. /etc/os-release; echo "$PRETTY_NAME"), kernel $(uname -r) |
| .NET | SDK $(dotnet --version), runtime $(dotnet --list-runtimes | awk '/NETCore.App/ { v=$2 } END { print v }') |
| RabbitMQ / Redis | $(dpkg-query -W -f '${Version}' rabbitmq-server 2>/dev/null) / $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/') |
| load average at start / end | $BENCH_LOADAVG / $BENCH_LOADAVG_END (1, 5, 15 min) |

The real gateway process (Release, Production, servers mode, Gateway role, which includes its enrichment
consumers), RabbitMQ, Redis, the fake WeCom/OA APIs (WecomBridge.Fakes, for the enrichment reads) and the
load generator with its consumer all run on this machine, shared with other work: absolute figures are noisy.
Callbacks, in turn: add / edit / delete an external contact, a group chat member change (WeCom, encrypted),
an Official Account subscribe (safe mode, encrypted); every callback is distinct. A consumer reads every event
from one durable queue bound to the five exchanges, as a CRM would, and counts them by event id
(\`message_id\`).
$SEND_TEXT

<!-- summary:begin -->
$MINUTES $MIN_WORD at $(s rate) mixed callbacks/s$SEND_TITLE through the gateway${SEND_TITLE:+, the dispatcher}, RabbitMQ and Redis ($BENCH_STARTED; load average
$BENCH_LOADAVG at start): $(s sent) callbacks sent, **$OK answered 200**, $(s non200) not (status other than 200 or no answer).

| check | result | |
|---|---|---|
| no event lost: every callback answered 200 has its event on the queue | $LOST missing | **$(verdict "$LOST == 0" "met" "not met")** |
| no event duplicated (by event id) | $DUP ids seen more than once | **$(verdict "$DUP == 0" "met" "not met")** |
| events consumed / distinct event ids | $(s consumed) / $(s distinct) | $(s published_non200) for callbacks not answered 200 (allowed: a timed-out callback may have been stored; WeCom would retry and the dedupe key absorbs it); $(s unknown) unknown; $(s left_on_queue) left on the queue |
| memory flat: gateway working set, mean of the last third of the run against the middle third (after a warm-up of the first sixth) | $RSS_MID → $RSS_LAST MiB ($(calc "%+.1f%%" "100 * ($RSS_LAST - $RSS_MID) / $RSS_MID")); $RSS_FIRST MiB after warm-up, $RSS_END MiB at the end, peak $HWM_END MiB | **$(verdict "$RSS_LAST <= 1.05 * $RSS_MID" "flat (within 5%)" "grew more than 5%")** |
| latency does not drift: median of the per-interval p99, first third after warm-up against the last third | $P99_FIRST → $P99_LAST ms (highest interval p99 $P99_MAX ms) | **$(verdict "$P99_LAST <= 1.5 * $P99_FIRST" "no drift (within ×1.5)" "drifted (more than ×1.5)")** |
$SEND_ROWS

CPU per 1,000 callbacks over the whole soak (CPU seconds): gateway $GW_CPU, RabbitMQ $RB_CPU, Redis $RD_CPU, fake APIs $FK_CPU,
load generator and consumer $LOAD_CPU; whole machine $BUSY (every process on it).${D_CPU:+ Dispatcher: $D_CPU CPU seconds per 1,000 sends (with its consumers of contact and follower events from the gateway).}
Garbage collection pauses over the run: $GW_GC.
Slow intervals: $STALLS (per interval: [What happened in each interval](#what-happened-in-each-interval)).
<!-- summary:end -->

![gateway working set, latency and throughput per interval](${BENCH_SVG})

## Every interval

Latency of the callbacks answered in the interval, counted from the moment each was due (ms). Working set =
VmRSS of the gateway process at the end of the interval, peak = VmHWM. CPU in CPU seconds per 1,000 callbacks
answered in the interval. Sends: answered 202 in the interval, latency of each POST from the moment it was due (ms),
the dispatcher's working set.

| t (s) | answered | per s | p50 | p99 | p99.9 | max | non-200 | working set MiB | peak MiB | gateway CPU | RabbitMQ | Redis | fake APIs | machine busy | sends 202 | send p50 | send p99 | dispatcher MiB |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
$(rows | awk -v clk="$CLK" '{ a = ($2 > 0 ? $2 : 1); printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %.2f | %.2f | %.2f | %.2f | %.0f%% | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 / clk / a * 1000, $12 / clk / a * 1000, $13 / clk / a * 1000, $14 / clk / a * 1000, ($16 > 0 ? 100 * $15 / $16 : 0), $18, $19, $20, $21 }')

## What happened in each interval

To tell where a slow interval's time went (\`-\` where the run predates these columns). GC: the time the gateway and
the fake APIs were paused for garbage collections (ms, sum / longest, gen2 collections) and the load generator's own;
heap: the managed heap of the gateway and of the fake APIs after their latest collection (MiB). Probes, every
100 ms (bench/WecomBridge.Bench/Probes.cs), the longest in the interval (ms): how late the bench's own timer woke,
a persistent publish with confirm to a durable queue of the same RabbitMQ, a Redis PING. Pressure (/proc/pressure,
ms in the interval): some task waited for I/O (some), every task did (full), some task waited for a CPU. Run queue:
the time the load generator's and the gateway's threads waited for a CPU (ms, summed over their threads).

| t (s) | p99 | max | send p99 | gateway GC pause | fake APIs GC pause | load gen GC pause | gateway heap | fake APIs heap | timer late | broker confirm | Redis PING | I/O some | I/O full | CPU wait | load gen run queue | gateway run queue |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
$(rows | awk '{ printf "| %s | %s | %s | %s | %s / %s (%s) | %s / %s (%s) | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $5, $7, $20, $22, $23, $24, $37, $38, $39, $25, $40, $41, $29, $30, $31, $32, $33, $34, $35, $36 }')

Per kind, callbacks sent / answered 200 / events received: $(s kinds | sed 's/:/ /g; s/,/, /g').

Queues at the end (\`rabbitmqctl list_queues\`; \`wecombridge.enrich.*\` are the enrichment consumers' own queues,
\`*_error\` their dead letters): $(awk '$1=="QUEUE" { split($2,a,"="); split($3,b,"="); printf "%s%s %s", sep, a[2], b[2]; sep = ", " }' "$R").

Logs (Warning and above): $(awk '$1=="LOG" { printf "%s", sep; for (i=2;i<=NF;i++) printf "%s ", $i; sep = "; " }' "$R")$(awk '$1=="LOGMSG" { $1 = ""; printf "\n- %s", $0 }' "$R")

## Raw lines

\`\`\`
$(grep -E '^(SOAK|SOAKSUM|QUEUE|LOG|CLK)' "$R")
\`\`\`
EOT
