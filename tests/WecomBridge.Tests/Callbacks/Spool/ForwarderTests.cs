using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WecomBridge.Callbacks.Spool;
using WecomBridge.Messaging;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Callbacks.Spool;

/// <summary>The forwarder against the real broker: many publishes in flight, each event once; database errors survived.</summary>
public class ForwarderTests : IDisposable
{
    private readonly SpoolFolder _folder = new();
    private readonly string _tag = Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task The_spool_drains_with_many_publishes_in_flight_and_every_event_once()
    {
        const int n = 3000;
        await using var tap = await AmqpTap.BindAsync(TestServers.RabbitMq, "wecombridge.external-contact-added");
        using var spool = _folder.Open();
        var events = Enumerable.Range(0, n).Select(i => SpoolFolder.Added(_tag, i)).ToArray();
        await Task.WhenAll(events.Select(e => spool.TryAppendAsync(e.Type, e.EventId, e.Body)));
        Assert.Equal(n, spool.Depth);
        var commits = spool.Commits;

        await using var rabbit = new RabbitMqMessagePublisher(new Uri(TestServers.RabbitMq), NullLogger<RabbitMqMessagePublisher>.Instance);
        var publisher = new CountingPublisher(rabbit);
        using (var forwarder = new SpoolForwarder(spool, publisher, NullLogger<SpoolForwarder>.Instance))
        {
            await forwarder.StartAsync(CancellationToken.None);
            // A bound, not a pace: 3,000 confirms on the broker every parallel test shares take seconds alone, a minute
            // or more while the suite's busiest classes run beside them.
            await Eventually.True(() => spool.Depth == 0, TimeSpan.FromSeconds(180), "the spool drained");
            await forwarder.StopAsync(CancellationToken.None);
        }

        var mine = await Eventually.Get(async () => Mine(await tap.ReadAsync()), m => m.Count >= n, TimeSpan.FromSeconds(30), "every event on the queue");
        Assert.Equal(n, mine.Count);
        Assert.Equal(events.Select(e => e.EventId).Order(), mine.Order());
        Assert.InRange(publisher.MaxInFlight, 32, SpoolForwarder.Window);
        Assert.InRange(spool.Commits - commits, 1, n / 16); // confirmed events removed in batches, not one commit each
    }

    /// <summary>
    /// What contracts/README.md ("Order") promises: no delivery order. Events that came while the broker was away are
    /// delivered after newer ones published live, and the forwarder's window may reorder them among themselves; each
    /// keeps the occurredAt of its callback, so ordering by occurredAt gives back the order in which things happened.
    /// </summary>
    [Fact]
    public async Task Spooled_events_arrive_after_newer_live_ones_and_keep_their_occurredAt()
    {
        var start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 3600);
        await using var tap = await AmqpTap.BindAsync(TestServers.RabbitMq, "wecombridge.external-contact-added");
        using var spool = _folder.Open();
        var spooled = Enumerable.Range(0, 600).Select(i => SpoolFolder.Added(_tag, i, start.AddSeconds(i))).ToArray();
        foreach (var e in spooled) await spool.TryAppendAsync(e.Type, e.EventId, e.Body);
        await using var rabbit = new RabbitMqMessagePublisher(new Uri(TestServers.RabbitMq), NullLogger<RabbitMqMessagePublisher>.Instance);
        var live = Enumerable.Range(600, 20).Select(i => SpoolFolder.Added(_tag, i, start.AddSeconds(i))).ToArray();
        foreach (var e in live) await rabbit.PublishAsync(typeof(WecomBridge.Contracts.Contacts.ExternalContactAdded), e.EventId, e.Body, CancellationToken.None);

        using (var forwarder = new SpoolForwarder(spool, rabbit, NullLogger<SpoolForwarder>.Instance))
        {
            await forwarder.StartAsync(CancellationToken.None);
            // A bound, not a pace: 3,000 confirms on the broker every parallel test shares take seconds alone, a minute
            // or more while the suite's busiest classes run beside them.
            await Eventually.True(() => spool.Depth == 0, TimeSpan.FromSeconds(180), "the spool drained");
            await forwarder.StopAsync(CancellationToken.None);
        }

        var messages = await Eventually.Get(async () => (await tap.ReadAsync()).Where(IsMine).ToList(), m => m.Count >= 620, TimeSpan.FromSeconds(30), "all events");
        var arrival = messages.Select(m => m.GetProperty("eventId").GetString()!).ToList();
        Assert.Equal(live.Select(e => e.EventId), arrival.Take(20)); // the newer live events overtook the spooled ones
        var byOccurredAt = messages.OrderBy(m => m.GetProperty("occurredAt").GetDateTimeOffset()).Select(m => m.GetProperty("eventId").GetString()!);
        Assert.Equal(spooled.Concat(live).Select(e => e.EventId), byOccurredAt); // occurredAt restores what happened when
    }

    [Fact]
    public async Task Database_errors_do_not_stop_the_forwarder()
    {
        await using var tap = await AmqpTap.BindAsync(TestServers.RabbitMq, "wecombridge.external-contact-added");
        using var spool = _folder.Open();
        var first = SpoolFolder.Added(_tag, 0);
        Assert.True(await spool.TryAppendAsync(first.Type, first.EventId, first.Body));
        using (var other = new SqliteConnection($"Data Source={Path.Combine(_folder.Path, "spool.db")};Pooling=false"))
        {
            other.Open();
            using var drop = other.CreateCommand();
            drop.CommandText = "DROP TABLE spool"; // every read and write of the forwarder now fails
            drop.ExecuteNonQuery();
        }

        var logs = new CapturedLogs();
        await using var rabbit = new RabbitMqMessagePublisher(new Uri(TestServers.RabbitMq), NullLogger<RabbitMqMessagePublisher>.Instance);
        using var forwarder = new SpoolForwarder(spool, rabbit, new LoggerFactory([logs]).CreateLogger<SpoolForwarder>());
        await forwarder.StartAsync(CancellationToken.None);
        await Eventually.True(() => logs.Lines.Count(l => l.Contains("Forwarding the spool failed (SqliteException)")) >= 2,
            TimeSpan.FromSeconds(30), "the forwarder failed twice and went on");
        Assert.False(forwarder.ExecuteTask!.IsCompleted);

        using (var other = new SqliteConnection($"Data Source={Path.Combine(_folder.Path, "spool.db")};Pooling=false"))
        {
            other.Open();
            Schema.Create(other); // the database is back
        }
        var second = SpoolFolder.Added(_tag, 1);
        await Eventually.True(() => spool.TryAppendAsync(second.Type, second.EventId, second.Body), TimeSpan.FromSeconds(10), "an append after the repair");
        var mine = await Eventually.Get(async () => Mine(await tap.ReadAsync()), m => m.Contains(second.EventId), TimeSpan.FromSeconds(30),
            "the event appended after the errors forwarded");
        Assert.Single(mine);
        await forwarder.StopAsync(CancellationToken.None);
    }

    private bool IsMine(System.Text.Json.JsonElement m) =>
        m.GetProperty("externalUserId").GetString()!.StartsWith("wm" + _tag, StringComparison.Ordinal);

    private List<string> Mine(IEnumerable<System.Text.Json.JsonElement> messages) =>
        messages.Where(IsMine).Select(m => m.GetProperty("eventId").GetString()!).ToList();

    public void Dispose() => _folder.Dispose();
}
