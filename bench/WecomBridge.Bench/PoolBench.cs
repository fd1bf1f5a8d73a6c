using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using WecomBridge.Pool.Schema;

namespace WecomBridge.Bench;

/// <summary>
/// The contact pool at scale (bench/pool.sh, issue #18): a fresh database migrated as the app does and the real
/// WecomBridge (Release build, role Dispatcher, this RabbitMQ, Redis and database) as a separate process. The events of
/// the first --through contacts (<see cref="PoolLoad"/>) are published to the bridge's event exchanges and timed until
/// the pool's consumers applied every one (RabbitMQ → consumer → PostgreSQL); the pool is then filled up to --contacts
/// by <see cref="PoolFill"/>, analysed, and probed over HTTP (<see cref="PoolProbes"/>): segment count and first page
/// for typical filters, the contact list, an NDJSON export; then the database's size per table.
/// Prints RESULT / LATENCY / SIZE lines that bench/pool.sh turns into docs/benchmarks-pool.md.
/// </summary>
internal static class PoolBench
{
    private const string Key = "bench-pool-key-0123456789";
    private const string Prefix = "wbpool";

    public static async Task<int> RunAsync(Args a)
    {
        var contacts = a.Int("contacts", 1_000_000);
        var through = Math.Min(contacts, a.Int("through", 50_000));
        var samples = a.Int("samples", 100);
        var probeSeconds = a.Int("probe-seconds", 15);
        var admin = a.Required("postgres");
        var log = a.Get("log", Path.Combine(Path.GetTempPath(), "wb-pool-bridge.log"));
        // Whole minutes: relative filters ("last 7 days") see the same pool whenever they run within the bench.
        var now = DateTimeOffset.UtcNow;
        now = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
        var database = "wb_bench_pool_" + Guid.NewGuid().ToString("N")[..8];
        await Sql.ExecuteAsync(admin, $"CREATE DATABASE {database}");
        var connection = new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString;
        Process? bridge = null;
        try
        {
            await new PoolSchema(connection, NullLogger<PoolSchema>.Instance).MigrateAsync(CancellationToken.None);
            var url = $"http://127.0.0.1:{SendBench.FreePort()}";
            bridge = StartBridge(a, url, connection, log);
            using var stopOnSignal = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => SendBench.Kill(bridge));
            using var stopOnInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => SendBench.Kill(bridge));
            await SendBench.WaitReadyAsync(url, bridge, log);
            Console.Error.WriteLine($"pool: bridge pid={bridge.Id} url={url} log={log}");

            var cpu = new ProcCpu($"bridge:{bridge.Id}");
            var before = cpu.Read();
            var (events, published, drained) = await PoolPublisher.RunAsync(a.Required("amqp"), Prefix, connection, now, through, bridge);
            Console.WriteLine(cpu.Line("pool-projection", before, cpu.Read()));
            Console.WriteLine(FormattableString.Invariant($"RESULT name=projection contacts={through} events={events} ")
                + FormattableString.Invariant($"publish_seconds={published:F1} seconds={drained:F1} rate={events / drained:F0}"));

            var filled = await PoolFill.RunAsync(connection, Fixtures.Corp, now, through, contacts);
            Console.WriteLine(FormattableString.Invariant($"RESULT name=fill contacts={contacts - through} seconds={filled:F1}"));
            var clock = Stopwatch.StartNew();
            await Sql.ExecuteAsync(connection, "VACUUM ANALYZE");
            Console.WriteLine(FormattableString.Invariant($"RESULT name=vacuum seconds={clock.Elapsed.TotalSeconds:F1}"));

            using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(15) };
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Key);
            await PoolProbes.RunAsync(http, Fixtures.Corp, samples, TimeSpan.FromSeconds(probeSeconds));
            await PoolProbes.SizesAsync(connection);
            if (a.Get("explain", "") is { Length: > 0 } plans) await PoolPlans.WriteAsync(connection, Fixtures.Corp, PoolProbes.Filters, plans);
            Console.WriteLine($"RESULT name=server version={(await Sql.ScalarAsync(connection, "SHOW server_version")).Split(' ')[0]}");
            return 0;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"pool: {e.GetType().Name}: {e.Message}");
            if (File.Exists(log)) Console.Error.WriteLine(string.Join('\n', File.ReadLines(log).TakeLast(30)));
            return 1;
        }
        finally
        {
            if (bridge is not null)
            {
                SendBench.Kill(bridge);
                await bridge.WaitForExitAsync();
                bridge.Dispose();
            }
            NpgsqlConnection.ClearAllPools();
            await Sql.ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        }
    }

    /// <summary>The bridge as a dispatcher: the pool in the bench's database, the API key allowed the corp and benchoa.</summary>
    private static Process StartBridge(Args a, string url, string connection, string log)
    {
        var spool = Path.Combine(Path.GetTempPath(), "wb-pool-spool-" + Guid.NewGuid().ToString("N")[..8]);
        var env = SendBench.BridgeEnv(url, a.Required("amqp"), a.Required("redis"), "http://127.0.0.1:9/", "http://127.0.0.1:9/", spool, Prefix);
        env["Bridge__Roles__0"] = "Dispatcher";
        env["ConnectionStrings__Postgres"] = connection;
        env["SendApi__ApiKeys__0__KeyHash"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Key)));
        env["Pool__MaxPageSize"] = "1000";
        return SendBench.StartBridge(a.Get("app", "src/WecomBridge/bin/Release/net10.0/WecomBridge.dll"), log, env);
    }
}

/// <summary>One-statement helpers on their own connection.</summary>
internal static class Sql
{
    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<string> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture)!;
    }
}
