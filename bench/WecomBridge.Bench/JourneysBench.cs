using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using StackExchange.Redis;
using WecomBridge.Journeys;
using WecomBridge.JourneyKit;
using WecomBridge.Journeys.Definitions;
using WecomBridge.Journeys.Runtime;
using WecomBridge.Messaging;
using WecomBridge.Pool;
using WecomBridge.Pool.Schema;
using WecomBridge.Sending.Dispatcher;
using WecomBridge.Sending.Status;
using WecomBridge.Sending.Suppression;

namespace WecomBridge.Bench;

/// <summary>
/// Journeys at scale (bench/journeys.sh, issue #19): --enrolments running enrolments of a one-step journey (a
/// customerTask, <see cref="OneStepJourney"/>), their steps due evenly over --window, filled in SQL (<see cref="JourneyFill"/>); then --runners
/// journey runners in this process, each as a dispatcher has one (its own lease owner), against this PostgreSQL (the
/// journey store, the pool, the definitions), Redis (send status, suppression) and RabbitMQ (the send commands, read by
/// <see cref="SendCommandSink"/>), until every step is recorded. The runners' clock is shifted so that the first step is
/// due when they start. Prints RESULT / SIZE / PROGRESS lines for bench/journeys.sh.
/// </summary>
internal static class JourneysBench
{
    private const string Corp = "benchcorp";
    private const string Journey = "bench";
    /// <summary>10:00 in Asia/Shanghai: the steps fall outside the default quiet hours (21:00–08:00).</summary>
    private static readonly DateTimeOffset Epoch = new(2026, 12, 1, 2, 0, 0, TimeSpan.Zero);

    public static async Task<int> RunAsync(Args a)
    {
        var count = a.Int("enrolments", 1_000_000);
        var window = Duration(a.Get("window", "1h"));
        var runners = a.Int("runners", 2);
        var options = new JourneyRuntimeOptions
        {
            BatchSize = a.Int("batch", 100), StepConcurrency = a.Int("concurrency", new JourneyRuntimeOptions().StepConcurrency),
            PollInterval = TimeSpan.FromMilliseconds(a.Int("poll-ms", 5000)),
        };
        var limit = TimeSpan.FromMinutes(a.Int("timeout-minutes", 60));
        var admin = a.Required("postgres");
        var database = "wb_bench_journeys_" + Guid.NewGuid().ToString("N")[..8];
        await Sql.ExecuteAsync(admin, $"CREATE DATABASE {database}");
        var connection = new NpgsqlConnectionStringBuilder(admin) { Database = database, MaxPoolSize = 50, MaxAutoPrepare = 64 }.ConnectionString;
        await new PoolSchema(connection, NullLogger<PoolSchema>.Instance).MigrateAsync(CancellationToken.None);
        await using var dataSource = NpgsqlDataSource.Create(connection);

        var definitions = new PostgresJourneyDefinitionStore(dataSource, TimeProvider.System);
        var saved = await OneStepJourney.SaveAsync(definitions, Corp, Journey);
        var filled = await JourneyFill.RunAsync(connection, Corp, Journey, saved.Version, Epoch, window, count);
        Console.WriteLine(FormattableString.Invariant($"RESULT name=fill enrolments={count} seconds={filled:F1}"));
        var clock = Stopwatch.StartNew();
        await Sql.ExecuteAsync(connection, "VACUUM ANALYZE");
        Console.WriteLine(FormattableString.Invariant($"RESULT name=vacuum seconds={clock.Elapsed.TotalSeconds:F1}"));
        if (a.Get("fill-only", "0") == "1")
        {
            await SizesAsync(connection);
            return 0;
        }

        await using var sink = await SendCommandSink.StartAsync(a.Required("amqp"), "bench-journeys-sends", arguments: QueueArguments.Get());
        using var redis = await ConnectionMultiplexer.ConnectAsync(a.Required("redis"));
        await using var publisher = new RabbitMqMessagePublisher(new Uri(a.Required("amqp")), NullLogger<RabbitMqMessagePublisher>.Instance);
        var time = new ShiftedClock(Epoch - TimeProvider.System.GetUtcNow());
        var store = new JourneysStore(new PostgresJourneyStore(dataSource), time);
        var all = Runners(runners, options, store, definitions, dataSource, redis, publisher, time);

        var cpu = new ProcCpu(a.Get("watch", ""));
        var cpuBefore = cpu.Read();
        var postmaster = a.Int("postgres-pid", 0);
        var pgBefore = PostgresCpu.Ticks(postmaster);
        var self = Process.GetCurrentProcess().TotalProcessorTime;
        using var stop = new CancellationTokenSource();
        var started = Stopwatch.StartNew();
        foreach (var r in all) await r.StartAsync(stop.Token);
        var (lastCount, lastAt, peak) = (0L, 0.0, 0.0);
        while (store.Recorded < count && started.Elapsed < limit)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            var (done, at) = (store.Recorded, started.Elapsed.TotalSeconds);
            if (at - lastAt < 10 && done < count) continue;
            peak = Math.Max(peak, (done - lastCount) / (at - lastAt));
            var due = Math.Min(count, count * at / window.TotalSeconds);
            Console.WriteLine(FormattableString.Invariant(
                $"PROGRESS t={at:F0}s recorded={done} rate={(done - lastCount) / (at - lastAt):F0}/s due={due:F0} sent={sink.Count}"));
            (lastCount, lastAt) = (done, at);
        }
        var seconds = started.Elapsed.TotalSeconds;
        var selfCpu = (Process.GetCurrentProcess().TotalProcessorTime - self).TotalSeconds;
        var cpuAfter = cpu.Read();
        var pgTicks = PostgresCpu.Ticks(postmaster) - pgBefore;
        await stop.CancelAsync();
        foreach (var r in all) await r.StopAsync(CancellationToken.None);

        var lags = store.LagsMs();
        Array.Sort(lags);
        double P(double q) => lags.Length == 0 ? double.NaN : lags[Math.Min(lags.Length - 1, (int)(q * lags.Length))];
        var steps = store.Recorded;
        Console.WriteLine(FormattableString.Invariant(
            $"RESULT name=run enrolments={count} window_seconds={window.TotalSeconds:F0} runners={runners} batch={options.BatchSize} ")
            + FormattableString.Invariant($"concurrency={options.StepConcurrency} ")
            + FormattableString.Invariant($"poll_ms={options.PollInterval.TotalMilliseconds:F0} steps={steps} taken={store.Taken} ")
            + FormattableString.Invariant($"seconds={seconds:F1} ")
            + FormattableString.Invariant($"rate={steps / seconds:F0} peak_rate={peak:F0} leases_lost={store.LeasesLost}"));
        Console.WriteLine(FormattableString.Invariant($"RESULT name=lag p50_ms={P(0.5):F0} p99_ms={P(0.99):F0} max_ms={P(1):F0}"));
        Console.WriteLine(FormattableString.Invariant(
            $"RESULT name=cpu bench_seconds={selfCpu:F1} bench_ms_per_step={1000 * selfCpu / Math.Max(1, steps):F3}"));
        Console.WriteLine(cpu.Line("journeys", cpuBefore, cpuAfter) + $" postgres={pgTicks}");
        await Task.Delay(TimeSpan.FromSeconds(2)); // the sink's last deliveries
        await ReportAsync(connection, sink);
        return steps == count ? 0 : 1;
    }

    private static List<JourneyRunner> Runners(int count, JourneyRuntimeOptions options, IJourneyStore store,
        IJourneyDefinitionStore definitions, NpgsqlDataSource dataSource, IConnectionMultiplexer redis, IMessagePublisher publisher,
        TimeProvider time)
    {
        var status = new RedisSendStatusStore(redis, new DispatchOptions().StatusRetention);
        var runners = new JourneyRunners(Corp, options, store, definitions, new PostgresPoolStore(dataSource),
            new RedisSuppressionList(redis, time), status);
        return Enumerable.Range(0, count).Select(_ => runners.Create(publisher, time)).ToList();
    }

    /// <summary>What the database holds: each step once, each with its own message; sizes per table.</summary>
    private static async Task ReportAsync(string connection, SendCommandSink sink)
    {
        var tally = await JourneyTally.ReadAsync(connection);
        Console.WriteLine($"RESULT name=check {tally} outbox={await Sql.ScalarAsync(connection, "SELECT count(*) FROM pool.outbox")} "
            + $"commands={sink.Count} distinct_commands={sink.Distinct}");
        await Sql.ExecuteAsync(connection, "VACUUM ANALYZE");
        await SizesAsync(connection);
    }

    private static async Task SizesAsync(string connection)
    {
        string S(string sql) => Sql.ScalarAsync(connection, sql).GetAwaiter().GetResult();
        Console.WriteLine($"RESULT name=size bytes={S("SELECT pg_database_size(current_database())")} "
            + $"version={S("SHOW server_version").Split(' ')[0]}");
        await using var c = new NpgsqlConnection(connection);
        await c.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT n.nspname || '.' || t.relname, t.reltuples::bigint, pg_table_size(t.oid), pg_indexes_size(t.oid)
            FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE t.relkind = 'r' AND n.nspname IN ('journeys', 'pool') AND pg_total_relation_size(t.oid) > 1048576
            ORDER BY pg_total_relation_size(t.oid) DESC
            """, c);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            Console.WriteLine($"SIZE table={reader.GetString(0)} rows={reader.GetInt64(1)} data={reader.GetInt64(2)} indexes={reader.GetInt64(3)}");
    }

    /// <summary>"90s", "10m", "1h".</summary>
    private static TimeSpan Duration(string s) => s[^1] switch
    {
        's' => TimeSpan.FromSeconds(double.Parse(s[..^1], CultureInfo.InvariantCulture)),
        'm' => TimeSpan.FromMinutes(double.Parse(s[..^1], CultureInfo.InvariantCulture)),
        'h' => TimeSpan.FromHours(double.Parse(s[..^1], CultureInfo.InvariantCulture)),
        _ => throw new ArgumentException($"--window {s}: a number with s, m or h"),
    };
}
