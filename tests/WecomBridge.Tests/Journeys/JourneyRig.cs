using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using WecomBridge.JourneyKit;
using WecomBridge.Journeys;
using WecomBridge.Journeys.Runtime;
using WecomBridge.Journeys.Views;
using WecomBridge.Messaging;
using WecomBridge.Pool;
using WecomBridge.Pool.Schema;
using WecomBridge.Sending.Status;
using WecomBridge.Sending.Suppression;
using WecomBridge.Tests.Pool;
using WecomBridge.WeCom;

namespace WecomBridge.Tests.Journeys;

/// <summary>
/// Journey runners against a real PostgreSQL (a database of their own), the pool and send status in memory, a fake
/// clock and a publisher that records the send commands the runners hand to the dispatcher.
/// </summary>
internal sealed class JourneyRig : IAsyncDisposable
{
    public const string Corp = PoolEvents.Corp;
    /// <summary>10:00 in Asia/Shanghai: outside the default quiet hours (21:00–08:00).</summary>
    public static readonly DateTimeOffset T0 = new(2026, 12, 1, 2, 0, 0, TimeSpan.Zero);

    private readonly PoolDatabase _database;
    private readonly NpgsqlDataSource _dataSource;
    private readonly PoolProjection _projection = new(Microsoft.Extensions.Options.Options.Create(new PoolOptions()));
    private readonly JourneyRunners _runners;

    private JourneyRig(PoolDatabase database, NpgsqlDataSource dataSource)
    {
        (_database, _dataSource) = (database, dataSource);
        Store = new PostgresJourneyStore(dataSource);
        Definitions = new InMemoryJourneyDefinitionStore(Time);
        Pool = new InMemoryPoolStore(time: Time);
        var wecom = new WeComOptions { Corps = { [Corp] = new CorpOptions { CorpId = "wwcorp", Apps = { ["crm"] = new CorpAppOptions { AgentId = "1000002" } } } } };
        _runners = new JourneyRunners(Corp, RuntimeOptions, Store, Definitions, Pool, Suppression, Status, wecom);
        Sender = _runners.Sender(Published, Time);
    }

    public FakeTimeProvider Time { get; } = new(T0);
    public PostgresJourneyStore Store { get; }
    public InMemoryJourneyDefinitionStore Definitions { get; }
    public InMemoryPoolStore Pool { get; }
    public InMemorySuppressionList Suppression { get; } = new();
    public InMemorySendStatusStore Status => _status ??= new InMemorySendStatusStore(Time);
    public RecordingPublisher Published { get; } = new();
    public JourneySender Sender { get; }
    public JourneyRuntimeOptions RuntimeOptions { get; } = new() { BatchSize = 7, Lease = TimeSpan.FromMinutes(2), MaxAttempts = 3 };
    private InMemorySendStatusStore? _status;

    public static async Task<JourneyRig> CreateAsync()
    {
        var database = await PoolDatabase.CreateAsync();
        await new PoolSchema(database.ConnectionString, NullLogger<PoolSchema>.Instance).MigrateAsync(CancellationToken.None);
        return new JourneyRig(database, NpgsqlDataSource.Create(database.ConnectionString));
    }

    public Task<T?> ScalarAsync<T>(string sql) => _database.ScalarAsync<T>(sql);

    /// <summary>A runner as a dispatcher has one (each its own lease owner), its steps counted in <paramref name="metrics"/>.</summary>
    public JourneyRunner Runner(JourneyMetrics? metrics = null) => _runners.Create(Published, Time, metrics);

    public async Task ApplyAsync(params object[] events)
    {
        foreach (var e in events) await Pool.ApplyAsync(PoolProjection.EventId(e), _projection.Map(e)!);
    }

    /// <summary>A contact added by zhangsan (in the pool) with these corp tags.</summary>
    public Task AddContactAsync(string ext, params string[] tags) =>
        ApplyAsync(PoolEvents.Added(ext, "zhangsan", 0), PoolEvents.Snapshot(ext, 1, null, null, PoolEvents.Follow("zhangsan", 0, "qr", null, tags)));

    public async Task<JourneyDefinition> SaveAsync(string id, IReadOnlyList<JourneyStep> steps, params JourneyExit[] exits) =>
        await Definitions.SaveAsync(new JourneyDefinition(Corp, id, 0, id, true, new JourneyTrigger(JourneyTriggerKinds.EnrolCall, null, null, null, null, null),
            steps, exits, T0, default));

    public static JourneyStep Task(string id, TimeSpan delay, params JourneyCondition[] conditions) =>
        new(id, delay, null, conditions, new JourneyAction(JourneyActionKinds.CustomerTask, Text: "Hello from the journey"));

    public async Task<Enrolment> EnrolAsync(JourneyDefinition journey, string ext)
    {
        var e = new Enrolment(Guid.CreateVersion7(), Corp, journey.Id, journey.Version, ext, "zhangsan", "test:" + ext, Time.GetUtcNow());
        var first = JourneySchedule.Next(journey, 0, e.EnrolledAt, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
        Assert.Equal(EnrolOutcome.Enrolled, await Store.EnrolAsync(e, JourneyTriggerKinds.EnrolCall, first));
        return e;
    }

    public async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await _database.DisposeAsync();
    }

    /// <summary>Records the commands published (the broker confirms at once, or when <see cref="BeforeConfirm"/> ends).</summary>
    internal sealed class RecordingPublisher : IMessagePublisher
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<(Type Type, string Id)> _published = new();

        public IReadOnlyList<(Type Type, string Id)> All => [.. _published];

        /// <summary>When set, a publish is kept but confirmed only when this task ends.</summary>
        public Func<string, Task>? BeforeConfirm { get; set; }

        public Task PublishAsync(Type type, string eventId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
        {
            _published.Enqueue((type, eventId));
            return BeforeConfirm is { } confirm ? confirm(eventId) : System.Threading.Tasks.Task.CompletedTask;
        }
    }
}
