using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using WecomBridge.Pool;
using WecomBridge.Pool.Schema;

namespace WecomBridge.Bench;

/// <summary>
/// The contact pool at scale (bench/pool.sh): a fresh database migrated as the app does, N contacts loaded through the
/// pool's projection and store (PoolProjection.Map, then PostgresPoolStore.ApplyAsync: what the consumers do) by
/// --concurrency callers, then first-page latency of the contact list for typical filters, then the database's size.
/// Prints RESULT / LATENCY lines that bench/pool.sh turns into docs/benchmarks-pool.md.
/// </summary>
internal static class PoolBench
{
    private const string Corp = "bench";
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    public static async Task<int> RunAsync(Args a)
    {
        var count = a.Int("count", 1_000_000);
        var concurrency = a.Int("concurrency", 16);
        var samples = a.Int("samples", 200);
        var admin = a.Required("postgres");
        var database = "wb_bench_pool_" + Guid.NewGuid().ToString("N")[..8];
        await ExecuteAsync(admin, $"CREATE DATABASE {database}");
        try
        {
            var connection = new NpgsqlConnectionStringBuilder(admin) { Database = database, MaxPoolSize = concurrency + 4 }.ConnectionString;
            await new PoolSchema(connection, NullLogger<PoolSchema>.Instance).MigrateAsync(CancellationToken.None);
            await using var dataSource = NpgsqlDataSource.Create(connection);
            var store = new PostgresPoolStore(dataSource);
            await LoadAsync(store, count, concurrency);
            await ExecuteAsync(connection, "VACUUM ANALYZE");
            foreach (var (name, probe) in ListProbes(store).Concat(SegmentProbes(dataSource)))
                Console.WriteLine(await LatencyAsync(name, probe, samples));
            var size = await ScalarAsync(connection, "SELECT pg_database_size(current_database())");
            var contacts = await ScalarAsync(connection, "SELECT count(*) FROM pool.contacts");
            var relations = await ScalarAsync(connection, "SELECT count(*) FROM pool.follow_relations");
            var memberships = await ScalarAsync(connection, "SELECT count(*) FROM pool.group_members");
            var version = (await ScalarAsync(connection, "SHOW server_version")).Split(' ')[0];
            Console.WriteLine($"RESULT name=server version={version}");
            Console.WriteLine($"RESULT name=size bytes={size} contacts={contacts} relations={relations} memberships={memberships}");
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        }
        return 0;
    }

    /// <summary>The events of the load, in the order a corp produces them, applied by <paramref name="concurrency"/> callers.</summary>
    private static async Task LoadAsync(PostgresPoolStore store, int count, int concurrency)
    {
        var projection = new PoolProjection(Options.Create(new PoolOptions()));
        var queue = Channel.CreateBounded<object>(10_000);
        var producer = Task.Run(async () =>
        {
            foreach (var e in PoolLoad.Events(Corp, Now, count)) await queue.Writer.WriteAsync(e);
            queue.Writer.Complete();
        });
        long applied = 0;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            await foreach (var e in queue.Reader.ReadAllAsync())
                if (projection.Map(e) is { } change && await store.ApplyAsync(PoolProjection.EventId(e), change))
                    Interlocked.Increment(ref applied);
        })).ToArray();
        await producer;
        await Task.WhenAll(workers);
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(FormattableString.Invariant(
            $"RESULT name=projection contacts={count} events={applied} seconds={seconds:F1} rate={applied / seconds:F0} concurrency={concurrency}"));
    }

    /// <summary>The contact list's first page (100 contacts, asked as the API does: limit + 1) for typical filters.</summary>
    private static IEnumerable<(string Name, Func<Task> Probe)> ListProbes(PostgresPoolStore store)
    {
        (string, Func<Task>) Page(string name, string? state, string? tag, DateTimeOffset? addedAfter) =>
            (name, () => store.ListContactsAsync(new ContactQuery(Corp, state, tag, addedAfter, 101, null)));
        yield return Page("list: no filter", null, null, null);
        yield return Page("list: state (1 channel of 20)", "channel-07", null, null);
        yield return Page("list: tag (1 of 50)", null, "tag-13", null);
        yield return Page("list: addedAfter (last 7 days)", null, null, Now.AddDays(-7));
        yield return Page("list: state + tag + addedAfter (last 90 days)", "channel-07", "tag-13", Now.AddDays(-90));
    }

    /// <summary>
    /// Hook for segments (filters and saved segments over the pool): add (name, probe) pairs here for a segment's count,
    /// first page and export over the loaded pool, e.g. ("segment count: tag + stage", () => …). Each becomes a LATENCY line
    /// and bench/pool.sh lists every LATENCY line in the report, so nothing else needs to change.
    /// </summary>
    private static IEnumerable<(string Name, Func<Task> Probe)> SegmentProbes(NpgsqlDataSource dataSource)
    {
        _ = dataSource;
        yield break;
    }

    private static async Task<string> LatencyAsync(string name, Func<Task> probe, int samples)
    {
        for (var i = 0; i < 5; i++) await probe(); // warm the cache and the plan
        var times = new List<double>(samples);
        for (var i = 0; i < samples; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await probe();
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        times.Sort();
        double P(double q) => times[Math.Min(times.Count - 1, (int)Math.Ceiling(q * times.Count) - 1)];
        return FormattableString.Invariant($"LATENCY p50={P(0.5):F2} p99={P(0.99):F2} samples={samples} name={name}");
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture)!;
    }
}
