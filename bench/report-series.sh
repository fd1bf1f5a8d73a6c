#!/usr/bin/env bash
# The "Load series" section of docs/benchmarks.md (to stdout), from the series-r* RESULT/CPU lines that
# bench/series.sh added to BENCH_RESULTS. Called by bench/report.sh. Prints a short note when the series
# did not run (BENCH_SERIES=0).
set -euo pipefail
R=$BENCH_RESULTS
f() { awk -v n="name=$1" -v k="$2" '($1=="RESULT" || $1=="CPU" || $1=="CLK") && $2==n { for (i=3;i<=NF;i++) { split($i,kv,"="); if (kv[1]==k) v=kv[2] } } END { print v }' "$R"; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
RATES=$(awk '$1=="RESULT" && $2 ~ /^name=series-r/ { sub("name=series-r", "", $2); print $2 }' "$R" | sort -n | uniq)
echo "## Load series: throughput, latency, CPU and memory as the load doubles"
echo
if [ -z "$RATES" ]; then echo "Not run (BENCH_SERIES=0)."; exit 0; fi
CLK=$(f clk clk); CLK=${CLK:-$(getconf CLK_TCK)}
per1000() { calc "%.2f" "$(f "$1" "$2") / $CLK / $(f "$1" requests) * 1000"; }
cat <<EOT
The load doubled here is the **offered rate of callbacks per second** (R, 2R, 4R, open loop): WeCom sends
callbacks when events happen, whatever the gateway's answer time, so the arrival rate is what grows in
production; doubling connections of a closed loop (the table above) instead measures how close the gateway
gets to its ceiling. Each step: a fresh gateway (so its peak working set is that step's and its warm-up's),
a warm-up at R (10 s; 3 s with BENCH_QUICK=1), then the step; every request is due at start + i / rate and its latency counts from
that moment, so waiting for a connection is counted. Callbacks are mixed, in turn: add / edit / delete
an external contact, a group chat member change (WeCom, encrypted) and an Official Account subscribe (safe
mode, encrypted), each distinct. The gateway's enrichment consumers read the fake WeCom/OA APIs
(WecomBridge.Fakes with a fixture that knows every customer, chat and follower named), on this machine too;
the gateway's CPU and memory include that enrichment work.
A durable queue is bound to the five event exchanges: "events" is its message count after the step, one per
callback answered 200 (more when a publish timed out and the spool published a second copy, same event id).
CPU in CPU seconds per 1,000 callbacks (ms per callback); "late" counts requests the generator sent more
than 10 ms after they were due (the machine could not keep up). Latencies in ms.
Reproduce: \`bench/run.sh\` (\`BENCH_SERIES_RATE=R\`, default 400; \`BENCH_SERIES_SECONDS\`, default 30).

![throughput, latency and memory against the offered rate](benchmarks-series.svg)

| offered per s | answered 200 per s | p50 | p99 | p99.9 | non-200 | events on queue | gateway CPU s per 1,000 | RabbitMQ | Redis | load generator | whole machine | machine busy | gateway peak working set (VmHWM) MiB | peak VmRSS in step MiB | late |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
EOT
for r in $RATES; do n=series-r$r
  echo "| $r | **$(calc "%.0f" "$(f $n ok) / $(f $n seconds)")** | $(f $n p50_ms) | $(f $n p99_ms) | $(f $n p999_ms) | $(f $n non200) | $(f $n events) | $(per1000 $n gateway) | $(per1000 $n rabbit) | $(per1000 $n redis) | $(calc "%.2f" "$(f $n cpu_s) / $(f $n requests) * 1000") | $(per1000 $n busy) | $(calc "%.0f%%" "100 * $(f $n busy) / $(f $n total)") | $(f $n hwm_mb) | $(f $n rss_peak_mb) | $(f $n late) |"
done
echo
echo "When the offered load doubles (this run; ratios of the step to the one before):"
prev=""
for r in $RATES; do
  if [ -n "$prev" ]; then a=series-r$prev b=series-r$r
    echo "- $prev → $r/s: answered ×$(calc "%.2f" "$(f $b ok) / $(f $b seconds) / ($(f $a ok) / $(f $a seconds))"), p50 ×$(calc "%.2f" "$(f $b p50_ms) / $(f $a p50_ms)"), p99 ×$(calc "%.2f" "$(f $b p99_ms) / $(f $a p99_ms)"), gateway CPU per callback ×$(calc "%.2f" "$(f $b gateway) / $(f $b requests) / ($(f $a gateway) / $(f $a requests))"), whole-machine CPU per callback ×$(calc "%.2f" "$(f $b busy) / $(f $b requests) / ($(f $a busy) / $(f $a requests))"), gateway peak working set ×$(calc "%.2f" "$(f $b hwm_mb) / $(f $a hwm_mb)")."
  fi
  prev=$r
done
for r in $RATES; do n=series-r$r
  awk "BEGIN { exit !($(f $n busy) >= 0.95 * $(f $n total)) }" && echo "- At $r/s the machine was CPU-bound ($(calc "%.0f%%" "100 * $(f $n busy) / $(f $n total)") busy): its CPU per callback is bounded by the share of the CPUs each process got, not by what it needed: compare CPU per callback only between steps with CPU to spare."
done
echo
echo "A step whose \"answered 200 per s\" falls short of the offered rate, or whose latency jumps by far more than"
echo "×2, is past what this machine could serve during this run (the machine's busy column says whether it was CPU-bound)."
