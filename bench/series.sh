# Sourced by bench/run.sh after its other gateway runs (it uses run.sh's BENCH, RESULTS, TMP, AMQP,
# REDIS_PORT, RABBIT_PORT, QUICK, log and run). The load series: mixed callbacks (MixedCallbacks.cs) in an
# open loop at R, 2R and 4R callbacks/s (BENCH_SERIES_RATE=R, default 400; BENCH_SERIES_SECONDS per step,
# default 30, 8 with BENCH_QUICK=1), each step on a fresh gateway (so that its peak working set is that
# step's), with a durable queue bound to every kind's exchange, and the fake WeCom/OA APIs for its
# enrichment (bench/gateway-env.sh). Writes docs/benchmarks-series.svg.
# BENCH_SERIES=0 skips it. About 55 s per step.
if [ "${BENCH_SERIES:-1}" != 0 ]; then
  source bench/gateway-env.sh
  SERIES_RATE=${BENCH_SERIES_RATE:-400}
  SERIES_SECS=${BENCH_SERIES_SECONDS:-$([ "$QUICK" = 1 ] && echo 8 || echo 30)}
  SERIES_WARM=$([ "$QUICK" = 1 ] && echo 3 || echo 10) # at R, on each fresh gateway: JIT and tiering settle
  log "load series: open loop at $SERIES_RATE, $((2 * SERIES_RATE)) and $((4 * SERIES_RATE)) callbacks/s, $SERIES_SECS s each"
  trap 'stop_fakes; cleanup' EXIT # run.sh's cleanup, and the fakes if the run stops inside the series
  start_fakes "$TMP/fakes"
  gateway_env "$AMQP" "127.0.0.1:$REDIS_PORT" "$TMP/spool-series"
  SERIES_BEAM=$(beam_pid "$RABBIT_PORT") SERIES_REDIS=$(cat "$TMP/redis/redis.pid")
  for m in 1 2 4; do
    r=$((m * SERIES_RATE))
    rm -rf "$TMP/spool-series"
    start_gateway "$TMP/gateway-series.log"
    GATEWAY_PID=$GW_PID # run.sh's cleanup stops it if the run is interrupted
    run bind-mixed --amqp "$AMQP"
    # Warm-up (JIT, connections, exchanges), not in the results the report reads.
    $BENCH series-step --name "warmup-r$r" --url "$GW_URL" --amqp "$AMQP" --rate "$SERIES_RATE" --seconds "$SERIES_WARM" --pid "$GW_PID" >/dev/null
    run bind-mixed --amqp "$AMQP"
    run series-step --name "series-r$r" --url "$GW_URL" --amqp "$AMQP" --rate "$r" --seconds "$SERIES_SECS" --pid "$GW_PID" \
      --watch "gateway:$GW_PID,rabbit:$SERIES_BEAM,redis:$SERIES_REDIS"
    stop_gateway; GATEWAY_PID=""
  done
  stop_fakes
  trap cleanup EXIT
  mkdir -p docs
  $BENCH plot-series --results "$RESULTS" --out docs/benchmarks-series.svg \
    --caption "bench/run.sh, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load average at start $LOADAVG; open loop, mixed callbacks, fresh gateway per step"
fi
