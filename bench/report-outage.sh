#!/usr/bin/env bash
# bench/outage.sh's report (to stdout): report-outage.sh DIR STARTED LOADAVG LOADAVG_END RATE HOLD STORM_BYTES
# DIR holds steady.txt and storm.txt (the RESULT, PHASE, SAMPLE and ALIVE lines of each run).
set -euo pipefail
DIR=$1 STARTED=$2 LOADAVG=$3 LOADAVG_END=$4 RATE=$5 HOLD=$6 STORM_BYTES=$7
# v FILE LINE-KIND KEY [PHASE]: a value of the first matching line
v() { awk -v t="$2" -v k="$3" -v p="${4:-}" '$1==t { ok = (p == ""); for (i=2;i<=NF;i++) { split($i,kv,"="); if (kv[1]=="phase" && kv[2]==p) ok=1; if (kv[1]==k) val=kv[2] } if (ok) { print val; exit } }' "$DIR/$1"; }
alive() { awk '$1=="ALIVE" { print $3 }' "$DIR/$1"; }

cat <<EOF
# Benchmark: a broker outage under load

What holds now, measured by \`bench/outage.sh\` on $STARTED, on the 2-core machine shared with other work (load
average at start: $LOADAVG; at the end: $LOADAVG_END). Gateway: Release build, Production, role Gateway, enrichment
off, RabbitMQ $(rabbitmqctl version 2>/dev/null || echo 3.x) and Redis on loopback. Load: \`WecomBridge.Bench outage\`, an
open loop of distinct \`add_external_contact\` callbacks; a callback left unanswered (connection closed, or no answer
in 5 s as WeCom waits) is retried after 1, 2, 4 s and then every 8 s until answered. RabbitMQ is stopped 15 s into
the stream (\`scripts/servers.sh rabbitmq-stop\`) and started again $HOLD s later. At the end the bench reads the
whole queue bound to the event's exchange: \`lost\` = callbacks answered 200 whose event is not on the queue,
\`duplicates\` = extra copies (same \`eventId\`).

\`\`\`bash
bench/outage.sh   # BENCH_OUTAGE_RATE=$RATE BENCH_OUTAGE_HOLD=$HOLD BENCH_STORM_SPOOL_BYTES=$STORM_BYTES
\`\`\`

EOF
for run in steady storm; do
  f=$run.txt
  [ -f "$DIR/$f" ] || continue
  if [ $run = steady ]; then
    echo "## Steady: $RATE callbacks/s, broker away $HOLD s, default spool bound (Gateway:Spool:MaxBytes 1 GiB)"
  else
    echo "## Retry storm: $RATE callbacks/s, broker away $HOLD s, spool bounded to $((STORM_BYTES / 1048576)) MiB so that it fills"
  fi
  echo
  echo "| | value |"
  echo "|---|---|"
  echo "| callbacks sent (distinct) | $(v $f RESULT callbacks) |"
  echo "| answered 200 in the end | $(v $f RESULT answered) (never answered: $(v $f RESULT never_answered)) |"
  echo "| events on the queue (distinct / copies) | $(v $f RESULT queue_distinct) / $(v $f RESULT duplicates) |"
  echo "| **lost** (answered, not on the queue) | **$(v $f RESULT lost)** |"
  echo "| spool peak (events) | $(v $f RESULT spool_peak) |"
  echo "| drain after the broker returned | $(v $f RESULT drain_s) s, $(v $f RESULT drain_per_s) events/s (spool peak / time to empty) |"
  echo "| gateway RSS peak / threads peak | $(v $f RESULT rss_peak_mb) MiB / $(v $f RESULT threads_peak) |"
  echo "| managed heap peak / gen2 GCs / longest GC pause | $(v $f RESULT heap_peak_mb) MiB / $(v $f RESULT gen2) / $(v $f RESULT gc_pause_max_ms) ms |"
  echo "| generator requests sent > 10 ms late | $(v $f RESULT late_starts) |"
  echo "| gateway alive at the end | $(alive $f) |"
  echo
  echo "Answers (each attempt, from its send to its answer), by when the attempt was sent:"
  echo
  echo "| phase | answered | unanswered attempts | p50 ms | p99 ms | max ms | answers over 2 s |"
  echo "|---|---|---|---|---|---|---|"
  for p in before during after; do
    echo "| $p the outage | $(v $f PHASE answered $p) | $(v $f PHASE unanswered_attempts $p) | $(v $f PHASE p50_ms $p) | $(v $f PHASE p99_ms $p) | $(v $f PHASE max_ms $p) | $(v $f PHASE over_2s $p) |"
  done
  echo
  echo "Seconds in which an answer took over 2 s (t = seconds since the stream began; answers = answers that second):"
  echo
  echo '```'
  awk '$1=="SAMPLE" { for (i=2;i<=NF;i++) { split($i,kv,"="); v[kv[1]]=kv[2] } if (v["answer_max_ms"]+0 > 2000) print "t=" v["t"], "answers=" v["answers"], "answer_max_ms=" v["answer_max_ms"], "spool=" v["spool"] }' "$DIR/$f"
  echo '```'
  echo
  echo "<details><summary>Every 10th second: RSS, threads, heap, spool depth</summary>"
  echo
  echo '```'
  awk '$1=="SAMPLE"' "$DIR/$f" | awk 'NR % 10 == 1'
  echo '```'
  echo "</details>"
  echo
  grep '^LOG ' "$DIR/$f" | sed 's/^LOG /    /' || true
done
