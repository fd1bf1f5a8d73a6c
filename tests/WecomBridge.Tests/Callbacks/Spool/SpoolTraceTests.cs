using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using WecomBridge.Callbacks.Spool;
using WecomBridge.Contracts.Contacts;
using WecomBridge.Messaging;
using WecomBridge.Tests.Infrastructure;
using WecomBridge.Tests.Observability.Tracing;

namespace WecomBridge.Tests.Callbacks.Spool;

/// <summary>A spooled callback keeps its trace context: stored with it, restored as the parent of its publish, across a restart.</summary>
public sealed class SpoolTraceTests : IDisposable
{
    private readonly SpoolFolder _folder = new();
    private readonly string _tag = Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task A_spooled_event_is_published_with_the_trace_it_was_spooled_in_even_after_a_restart()
    {
        await using var tap = await TraceTap.OpenAsync(typeof(ExternalContactAdded));
        var (traceParent, traceId) = TraceTap.NewTraceParent();
        var traced = SpoolFolder.Added(_tag, 1);
        var untraced = SpoolFolder.Added(_tag, 2);
        using (var first = _folder.Open())
        {
            Assert.True(await first.TryAppendAsync(traced.Type, traced.EventId, traced.Body, traceParent));
            Assert.True(await first.TryAppendAsync(untraced.Type, untraced.EventId, untraced.Body));
        }

        using var spool = _folder.Open(); // a restart: what is on disk only
        var peeked = await spool.PeekAsync(0, 10);
        Assert.Equal(new[] { traceParent, null }, peeked.Select(e => e.TraceParent));
        await using var rabbit = new RabbitMqMessagePublisher(new Uri(TestServers.RabbitMq), NullLogger<RabbitMqMessagePublisher>.Instance);
        var seen = new SeeingPublisher(rabbit);
        using (var forwarder = new SpoolForwarder(spool, seen, NullLogger<SpoolForwarder>.Instance))
        {
            await forwarder.StartAsync(CancellationToken.None);
            await Eventually.True(() => spool.Depth == 0, TimeSpan.FromSeconds(30), "the spool drained");
            await forwarder.StopAsync(CancellationToken.None);
        }

        Assert.Equal(traceId, seen.TraceIds[traced.EventId]); // the parent of its publish
        Assert.Null(seen.TraceIds[untraced.EventId]);          // none stored: none made up
        Assert.Equal(traceId, TraceTap.TraceIdOf(await tap.TraceParentOfAsync(traced.EventId)));
        Assert.Null(await tap.TraceParentOfAsync(untraced.EventId));
    }

    [Fact]
    public async Task A_spool_written_before_trace_context_gets_its_column_and_its_events_forward_without_one()
    {
        var old = SpoolFolder.Added(_tag, 3);
        await using (var db = new SqliteConnection($"Data Source={Path.Combine(_folder.Path, "spool.db")};Pooling=false"))
        {
            await db.OpenAsync();
            await using var create = db.CreateCommand();
            create.CommandText = "CREATE TABLE spool (id INTEGER PRIMARY KEY AUTOINCREMENT, type TEXT NOT NULL, event_id TEXT NOT NULL, " +
                                 "body BLOB NOT NULL, spooled_at INTEGER NOT NULL); " +
                                 "INSERT INTO spool (type, event_id, body, spooled_at) VALUES ($t, $e, $b, 0)";
            create.Parameters.AddWithValue("$t", old.Type);
            create.Parameters.AddWithValue("$e", old.EventId);
            create.Parameters.AddWithValue("$b", old.Body);
            await create.ExecuteNonQueryAsync();
        }

        using var spool = _folder.Open();
        var (traceParent, _) = TraceTap.NewTraceParent();
        var fresh = SpoolFolder.Added(_tag, 4);
        Assert.True(await spool.TryAppendAsync(fresh.Type, fresh.EventId, fresh.Body, traceParent));

        var peeked = await spool.PeekAsync(0, 10);
        Assert.Equal(new[] { (old.EventId, (string?)null), (fresh.EventId, (string?)traceParent) }, peeked.Select(e => (e.EventId, e.TraceParent)));
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("00-00000000000000000000000000000000-0000000000000000-01")] // all-zero ids are invalid
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-and-more")]
    public async Task A_malformed_stored_traceparent_forwards_the_event_without_a_trace(string stored)
    {
        var e = SpoolFolder.Added(_tag, 5);
        using var spool = _folder.Open();
        Assert.True(await spool.TryAppendAsync(e.Type, e.EventId, e.Body, stored));
        var seen = new SeeingPublisher(null);
        using (var forwarder = new SpoolForwarder(spool, seen, NullLogger<SpoolForwarder>.Instance))
        {
            await forwarder.StartAsync(CancellationToken.None);
            await Eventually.True(() => spool.Depth == 0, TimeSpan.FromSeconds(30), "the spool drained");
            await forwarder.StopAsync(CancellationToken.None);
        }
        Assert.Null(seen.TraceIds[e.EventId]);
    }

    public void Dispose() => _folder.Dispose();

    /// <summary>Records the trace id current when each event is published, then publishes it (when given a publisher).</summary>
    private sealed class SeeingPublisher(IMessagePublisher? inner) : IMessagePublisher
    {
        public System.Collections.Concurrent.ConcurrentDictionary<string, string?> TraceIds { get; } = new();

        public Task PublishAsync(Type type, string eventId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
        {
            TraceIds[eventId] = Activity.Current?.TraceId.ToHexString();
            return inner?.PublishAsync(type, eventId, body, cancellationToken) ?? Task.CompletedTask;
        }
    }
}
