using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using StackExchange.Redis;
using WecomBridge.JourneyKit;
using WecomBridge.Journeys.Definitions;
using WecomBridge.Journeys.Runtime;
using WecomBridge.Messaging;
using WecomBridge.Pool;
using WecomBridge.Pool.Schema;
using WecomBridge.Sending.Status;
using WecomBridge.Sending.Suppression;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Journeys.Drills;

/// <summary>
/// Journey runners for the in-process drills, as dispatchers run them: the journey store, the definitions and the
/// pool in a real PostgreSQL (the servers' one or a drill's own), send status in the real Redis, send commands confirmed
/// by the real RabbitMQ and counted by a queue of the drill's own (a command prefix of its own). The enrolments are
/// filled as the journeys benchmark fills them (<see cref="JourneyFill"/>), all due at <see cref="JourneyRig.T0"/>.
/// Each runner has its own publisher and clock, so that a runner can be stopped dead: its clock never moves again,
/// its publishes never return.
/// </summary>
internal sealed class JourneyDrillRig : IAsyncDisposable
{
    private const string Journey = "drill";
    private readonly string _prefix;
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly ConnectionMultiplexer _redis;
    private readonly JourneyRunners _runners;

    private JourneyDrillRig(string prefix, string connectionString, NpgsqlDataSource dataSource, ConnectionMultiplexer redis,
        SendCommandSink commands)
    {
        (_prefix, ConnectionString, DataSource, _redis, Commands) = (prefix, connectionString, dataSource, redis, commands);
        Status = new RedisSendStatusStore(redis, TimeSpan.FromHours(1));
        Definitions = new PostgresJourneyDefinitionStore(dataSource, Time);
        _runners = new JourneyRunners(JourneyRig.Corp, Options, new PostgresJourneyStore(dataSource), Definitions,
            new PostgresPoolStore(dataSource), new InMemorySuppressionList(), Status);
    }

    public string ConnectionString { get; }
    public NpgsqlDataSource DataSource { get; }
    public FakeTimeProvider Time { get; } = new(JourneyRig.T0);
    public RedisSendStatusStore Status { get; }
    public PostgresJourneyDefinitionStore Definitions { get; }
    /// <summary>The send commands on the broker so far (a repeat of a step's send carries its message id).</summary>
    public SendCommandSink Commands { get; }
    public JourneyRuntimeOptions Options { get; } = new() { BatchSize = 20, Lease = TimeSpan.FromMinutes(2), MaxAttempts = 5 };

    /// <summary>A rig on <paramref name="postgres"/> (a maintenance database: the rig creates and migrates one of its own).</summary>
    public static async Task<JourneyDrillRig> CreateAsync(string postgres)
    {
        var connection = await CreateDatabaseAsync(postgres);
        var redis = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis);
        var prefix = "drill" + Guid.NewGuid().ToString("N")[..8];
        var commands = await SendCommandSink.StartAsync(TestServers.RabbitMq, prefix + ".tap", prefix, deleteQueue: true);
        return new JourneyDrillRig(prefix, connection, NpgsqlDataSource.Create(connection), redis, commands);
    }

    /// <summary>A migrated database of its own in <paramref name="postgres"/>; its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string postgres)
    {
        var name = "drill_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = new NpgsqlConnection(postgres))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }
        var connection = new NpgsqlConnectionStringBuilder(postgres) { Database = name, Timeout = 3, CommandTimeout = 10 }.ConnectionString;
        await new PoolSchema(connection, NullLogger<PoolSchema>.Instance).MigrateAsync(CancellationToken.None);
        return connection;
    }

    /// <summary>A runner with its own publisher (wrapped by <paramref name="wrap"/>) on <paramref name="clock"/>.</summary>
    public JourneyRunner Runner(TimeProvider clock, Func<IMessagePublisher, IMessagePublisher>? wrap = null)
    {
        var publisher = new RabbitMqMessagePublisher(new Uri(TestServers.RabbitMq), NullLogger<RabbitMqMessagePublisher>.Instance, _prefix);
        _owned.Add(publisher);
        return _runners.Create(wrap is null ? publisher : wrap(publisher), clock);
    }

    /// <summary><paramref name="count"/> contacts in the pool, each enrolled in a one-step journey (a customer task due at once).</summary>
    public async Task EnrolAsync(int count)
    {
        var journey = await OneStepJourney.SaveAsync(Definitions, JourneyRig.Corp, Journey);
        await JourneyFill.RunAsync(ConnectionString, JourneyRig.Corp, Journey, journey.Version, JourneyRig.T0, TimeSpan.Zero, count);
    }

    public Task<JourneyTally> TallyAsync() => JourneyTally.ReadAsync(ConnectionString);

    /// <summary>The drill's own reads: a connection not from the pool, which a restart of PostgreSQL may have left broken.</summary>
    private string ReadConnection => new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString;

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ReadConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    /// <summary>Each recorded step's message id (journeys.steps.message_id).</summary>
    public async Task<List<string>> RecordedMessagesAsync()
    {
        await using var connection = new NpgsqlConnection(ReadConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT message_id FROM journeys.steps WHERE outcome = 'taken'", connection);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(reader.GetString(0));
        return ids;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var o in _owned) await o.DisposeAsync();
        await Commands.DisposeAsync();
        await DataSource.DisposeAsync();
        await _redis.DisposeAsync();
    }
}
