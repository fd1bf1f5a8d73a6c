using Microsoft.Extensions.Diagnostics.HealthChecks;
using WecomBridge.Callbacks.Spool;

namespace WecomBridge.Tests.Callbacks.Spool;

/// <summary>Group commit, the byte bound (and the older count bound), and what readiness says of them.</summary>
public class SpoolAppendTests : IDisposable
{
    private readonly SpoolFolder _folder = new();

    [Fact]
    public async Task Appends_made_together_share_commits_and_are_all_durable()
    {
        const int n = 400;
        var events = Enumerable.Range(0, n).Select(i => SpoolFolder.Added("gc", i)).ToArray();
        long commits;
        using (var spool = _folder.Open())
        {
            var before = spool.Commits;
            var appended = await Task.WhenAll(events.Select(e => Task.Run(() => spool.TryAppendAsync(e.Type, e.EventId, e.Body))));
            Assert.All(appended, Assert.True);
            commits = spool.Commits - before;
            Assert.Equal(n, spool.Depth);
        }
        Assert.InRange(commits, 1, n - 1); // fewer flushed commits than appends

        using var reopened = _folder.Open(); // what is on disk, as after a crash and restart
        Assert.Equal(n, reopened.Depth);
        var stored = await reopened.PeekAsync(0, n + 1);
        Assert.Equal(events.Select(e => e.EventId).Order(), stored.Select(e => e.EventId).Order());
        Assert.Equal(events.Sum(e => EventSpool.Cost(e.Type, e.EventId, e.Body.Length)), reopened.Bytes);
    }

    [Fact]
    public async Task The_byte_bound_refuses_at_once_and_readiness_says_full()
    {
        var one = SpoolFolder.Added("bound", 0);
        var cost = EventSpool.Cost(one.Type, one.EventId, one.Body.Length);
        using var spool = _folder.Open(maxBytes: 64 * 1024);
        var accepted = 0;
        for (var i = 0; i < 1000; i++)
        {
            var e = SpoolFolder.Added("bound", i);
            if (!await spool.TryAppendAsync(e.Type, e.EventId, e.Body)) break;
            accepted++;
        }
        Assert.InRange(accepted, 64 * 1024 / (cost + 8), 64 * 1024 / (cost - 8));
        Assert.True(spool.Bytes <= 64 * 1024);
        Assert.True(spool.IsFull || spool.Bytes + cost > 64 * 1024);
        Assert.False(await spool.TryAppendAsync(one.Type, one.EventId, one.Body));
        Assert.Equal(accepted, spool.Depth);

        var health = await new SpoolHealthCheck(spool).CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.Contains("spool full", health.Description);
    }

    [Fact]
    public async Task MaxEvents_still_bounds_the_spool_when_set()
    {
        using var spool = _folder.Open(maxEvents: 3);
        for (var i = 0; i < 3; i++)
        {
            var e = SpoolFolder.Added("count", i);
            Assert.True(await spool.TryAppendAsync(e.Type, e.EventId, e.Body));
        }
        var fourth = SpoolFolder.Added("count", 3);
        Assert.False(await spool.TryAppendAsync(fourth.Type, fourth.EventId, fourth.Body));
        Assert.True(spool.IsFull);
    }

    [Fact]
    public async Task Readiness_is_degraded_while_events_wait_and_healthy_when_empty()
    {
        using var spool = _folder.Open();
        Assert.Equal(HealthStatus.Healthy, (await new SpoolHealthCheck(spool).CheckHealthAsync(new HealthCheckContext())).Status);
        var e = SpoolFolder.Added("ready", 0);
        await spool.TryAppendAsync(e.Type, e.EventId, e.Body);
        var degraded = await new SpoolHealthCheck(spool).CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.StartsWith("1 events wait", degraded.Description);
    }

    public void Dispose() => _folder.Dispose();
}
