using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using StackExchange.Redis;
using WecomBridge.Api;
using WecomBridge.Contracts.Sending;
using WecomBridge.Journeys;
using WecomBridge.Journeys.Runtime;
using WecomBridge.Messaging;
using WecomBridge.OfficialAccount;
using WecomBridge.Pool;
using WecomBridge.Pool.Schema;
using WecomBridge.Sending.Api;
using WecomBridge.Sending.Dispatcher;
using WecomBridge.Sending.Limits;
using WecomBridge.Sending.Status;
using WecomBridge.Sending.Suppression;
using WecomBridge.Tests.Infrastructure;
using WecomBridge.Tests.Pool;
using WecomBridge.WeCom;

namespace WecomBridge.Tests.Journeys.Drills;

/// <summary>
/// Journey runners for the kill drills, as dispatchers run them: the journey store in a real PostgreSQL (the
/// servers' one or a drill's own), send status in the real Redis, send commands confirmed by the real RabbitMQ into a
/// queue the drill reads (a command prefix of its own). Each runner has its own sender, publisher and clock, so that a
/// runner can be stopped dead: its clock never moves again, its publishes never return.
/// </summary>
internal sealed class JourneyDrillRig : IAsyncDisposable
{
    private readonly string _prefix;
    private readonly PoolProjection _projection = new(Microsoft.Extensions.Options.Options.Create(new PoolOptions()));
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly ConnectionMultiplexer _redis;

    private JourneyDrillRig(string prefix, string connectionString, NpgsqlDataSource dataSource, ConnectionMultiplexer redis, AmqpTap tap)
    {
        (_prefix, ConnectionString, DataSource, _redis, Tap) = (prefix, connectionString, dataSource, redis, tap);
        Store = new PostgresJourneyStore(dataSource);
        Status = new RedisSendStatusStore(redis, TimeSpan.FromHours(1));
        Definitions = new InMemoryJourneyDefinitionStore(Time);
    }

    public string ConnectionString { get; }
    public NpgsqlDataSource DataSource { get; }
    public FakeTimeProvider Time { get; } = new(JourneyRig.T0);
    public PostgresJourneyStore Store { get; }
    public RedisSendStatusStore Status { get; }
    public InMemoryJourneyDefinitionStore Definitions { get; }
    public InMemoryPoolStore Pool => _pool ??= new InMemoryPoolStore(time: Time);
    public AmqpTap Tap { get; }
    public JourneyRuntimeOptions Options { get; } = new() { BatchSize = 20, Lease = TimeSpan.FromMinutes(2), MaxAttempts = 5 };
    private InMemoryPoolStore? _pool;

    /// <summary>A rig on <paramref name="postgres"/> (a maintenance database: the rig creates and migrates one of its own).</summary>
    public static async Task<JourneyDrillRig> CreateAsync(string postgres)
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
        var redis = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis);
        var prefix = "drill" + Guid.NewGuid().ToString("N")[..8];
        var tap = await AmqpTap.BindAsync(TestServers.RabbitMq, BridgeEntityNameFormatter.ExchangeName(typeof(SendRequested), prefix));
        return new JourneyDrillRig(prefix, connection, NpgsqlDataSource.Create(connection), redis, tap);
    }

    /// <summary>A runner with its own sender and publisher (wrapped by <paramref name="wrap"/>) on <paramref name="clock"/>.</summary>
    public JourneyRunner Runner(TimeProvider clock, Func<IMessagePublisher, IMessagePublisher>? wrap = null)
    {
        var publisher = new RabbitMqMessagePublisher(new Uri(TestServers.RabbitMq), NullLogger<RabbitMqMessagePublisher>.Instance, _prefix);
        _owned.Add(publisher);
        var queue = new SendQueue(wrap is null ? publisher : wrap(publisher), Status,
            new JourneyRig.Monitor<SendApiOptions>(new SendApiOptions()), clock, NullLogger<SendQueue>.Instance);
        var wecom = new WeComOptions { Corps = { [JourneyRig.Corp] = new CorpOptions { CorpId = "wwcorp" } } };
        var sender = new JourneySender(Status, queue, new JourneyRig.Monitor<WeComOptions>(wecom),
            new JourneyRig.Monitor<OfficialAccountOptions>(new OfficialAccountOptions()),
            new JourneyRig.Monitor<DispatchOptions>(new DispatchOptions()), clock);
        var policies = new JourneyRig.Monitor<SendPolicyOptions>(new SendPolicyOptions());
        var actions = new JourneyActions(sender, new ServiceCollection().BuildServiceProvider(), policies);
        var options = new JourneyRig.Monitor<JourneyRuntimeOptions>(Options);
        var steps = new JourneyStepRunner(Store, Definitions, Pool, new InMemorySuppressionList(), actions, options, policies, clock,
            NullLogger<JourneyStepRunner>.Instance);
        return new JourneyRunner(Store, steps, options, clock, NullLogger<JourneyRunner>.Instance);
    }

    /// <summary><paramref name="count"/> contacts in the pool, each enrolled in a one-step journey (a customer task due at once).</summary>
    public async Task EnrolAsync(int count)
    {
        var journey = await Definitions.SaveAsync(new JourneyDefinition(JourneyRig.Corp, "drill", 0, "drill", true,
            new JourneyTrigger(JourneyTriggerKinds.EnrolCall, null, null, null, null, null), [JourneyRig.Task("hello", TimeSpan.Zero)], [],
            JourneyRig.T0, default));
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        for (var i = 0; i < count; i++)
        {
            var ext = $"wm{i}";
            var events = new object[]
            {
                PoolEvents.Added(ext, "zhangsan", 0), PoolEvents.Snapshot(ext, 1, null, null, PoolEvents.Follow("zhangsan", 0)),
            };
            foreach (var e in events)
                await Pool.ApplyAsync(PoolProjection.EventId(e), _projection.Map(e)!);
            var enrolment = new Enrolment(Guid.CreateVersion7(), JourneyRig.Corp, journey.Id, journey.Version, ext, "zhangsan", "drill:" + ext,
                JourneyRig.T0);
            Assert.Equal(EnrolOutcome.Enrolled, await Store.EnrolAsync(enrolment, JourneyTriggerKinds.EnrolCall,
                JourneySchedule.Next(journey, 0, JourneyRig.T0, zone)));
        }
    }

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

    /// <summary>The message ids of the send commands on the queue so far (a repeat of a step's send carries its id).</summary>
    public async Task<List<string>> CommandsAsync() => (await Tap.ReadAsync()).Select(m => m.GetProperty("messageId").GetString()!).ToList();

    public async ValueTask DisposeAsync()
    {
        foreach (var o in _owned) await o.DisposeAsync();
        await Tap.DisposeAsync();
        await DataSource.DisposeAsync();
        await _redis.DisposeAsync();
    }
}
