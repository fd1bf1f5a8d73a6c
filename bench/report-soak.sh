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
    echo "No soak has been run with this version: \`bench/soak.sh\` (30 minutes at 200 callbacks/s; \`BENCH_SOAK_MINUTES\`,"
    echo "\`BENCH_SOAK_RATE\`, \`BENCH_SOAK_INTERVAL\`) writes [benchmarks-soak.md](benchmarks-soak.md) and this section."
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
  print v["t_s"], v["answered"], v["per_s"], v["p50_ms"], v["p99_ms"], v["p999_ms"], v["max_ms"], v["non200"], v["rss_mb"], v["hwm_mb"], v["gateway"], v["rabbit"], v["redis"], v["fakes"], v["busy"], v["total"], v["load_cpu_s"] }' "$R"; }
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

cat <<EOT
# Soak
${BENCH_SOAK_NOTE:+
**$BENCH_SOAK_NOTE**
}
Measured by \`bench/soak.sh\` from $BENCH_STARTED to $BENCH_ENDED: **$MINUTES $MIN_WORD at $(s rate) callbacks/s**
(open loop), one line every $(s interval_s) s. Reproduce with:

\`\`\`bash
BENCH_SOAK_MINUTES=$MINUTES BENCH_SOAK_RATE=$(s rate) BENCH_SOAK_INTERVAL=$(s interval_s) bench/soak.sh
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
(\`message_id\`). Sends through the dispatcher are not part of this soak yet.

<!-- summary:begin -->
$MINUTES $MIN_WORD at $(s rate) mixed callbacks/s through the gateway, RabbitMQ and Redis ($BENCH_STARTED; load average
$BENCH_LOADAVG at start): $(s sent) callbacks sent, **$OK answered 200**, $(s non200) not (status other than 200 or no answer).

| check | result | |
|---|---|---|
| no event lost: every callback answered 200 has its event on the queue | $LOST missing | **$(verdict "$LOST == 0" "met" "not met")** |
| no event duplicated (by event id) | $DUP ids seen more than once | **$(verdict "$DUP == 0" "met" "not met")** |
| events consumed / distinct event ids | $(s consumed) / $(s distinct) | $(s published_non200) for callbacks not answered 200 (allowed: a timed-out callback may have been stored; WeCom would retry and the dedupe key absorbs it); $(s unknown) unknown; $(s left_on_queue) left on the queue |
| memory flat: gateway working set, mean of the last third of the run against the middle third (after a warm-up of the first sixth) | $RSS_MID → $RSS_LAST MiB ($(calc "%+.1f%%" "100 * ($RSS_LAST - $RSS_MID) / $RSS_MID")); $RSS_FIRST MiB after warm-up, $RSS_END MiB at the end, peak $HWM_END MiB | **$(verdict "$RSS_LAST <= 1.05 * $RSS_MID" "flat (within 5%)" "grew more than 5%")** |
| latency does not drift: median of the per-interval p99, first third after warm-up against the last third | $P99_FIRST → $P99_LAST ms (highest interval p99 $P99_MAX ms) | **$(verdict "$P99_LAST <= 1.5 * $P99_FIRST" "no drift (within ×1.5)" "drifted (more than ×1.5)")** |

CPU per 1,000 callbacks over the whole soak (CPU seconds): gateway $GW_CPU, RabbitMQ $RB_CPU, Redis $RD_CPU, fake APIs $FK_CPU,
load generator and consumer $LOAD_CPU; whole machine $BUSY (every process on it).
<!-- summary:end -->

![gateway working set, latency and throughput per interval](${BENCH_SVG})

## Every interval

Latency of the callbacks answered in the interval, counted from the moment each was due (ms). Working set =
VmRSS of the gateway process at the end of the interval, peak = VmHWM. CPU in CPU seconds per 1,000 callbacks
answered in the interval.

| t (s) | answered | per s | p50 | p99 | p99.9 | max | non-200 | working set MiB | peak MiB | gateway CPU | RabbitMQ | Redis | fake APIs | machine busy |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
$(rows | awk -v clk="$CLK" '{ a = ($2 > 0 ? $2 : 1); printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %.2f | %.2f | %.2f | %.2f | %.0f%% |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 / clk / a * 1000, $12 / clk / a * 1000, $13 / clk / a * 1000, $14 / clk / a * 1000, ($16 > 0 ? 100 * $15 / $16 : 0) }')

Per kind, callbacks sent / answered 200 / events received: $(s kinds | sed 's/:/ /g; s/,/, /g').

Queues at the end (\`rabbitmqctl list_queues\`; \`wecombridge.enrich.*\` are the enrichment consumers' own queues,
\`*_error\` their dead letters): $(awk '$1=="QUEUE" { split($2,a,"="); split($3,b,"="); printf "%s%s %s", sep, a[2], b[2]; sep = ", " }' "$R").

Gateway log (Warning and above): $(awk '$1=="LOG" { for (i=3;i<=NF;i++) printf "%s ", $i }' "$R")$(awk '$1=="LOGMSG" { $1 = ""; printf "\n- %s", $0 }' "$R")

## Raw lines

\`\`\`
$(grep -E '^(SOAK|SOAKSUM|QUEUE|LOG|CLK)' "$R")
\`\`\`
EOT
