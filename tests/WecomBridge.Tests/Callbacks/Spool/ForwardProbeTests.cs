using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using WecomBridge.Callbacks.Spool;

namespace WecomBridge.Tests.Callbacks.Spool;

/// <summary>
/// The forwarder against a broker that stores publishes it fails (a failover): a probe goes alone, an event whose
/// publish failed waits before its retry, and copies stay few per event; nothing leaves the spool unconfirmed.
/// </summary>
public class ForwardProbeTests : IDisposable
{
    private readonly SpoolFolder _folder = new();
    private readonly string _tag = Guid.NewGuid().ToString("N")[..8];
    private readonly FakeTimeProvider _time = new();
    private readonly FailoverBroker _broker = new();

    [Fact]
    public async Task While_the_broker_fails_every_publish_a_probing_pass_tries_one_event_and_each_event_once_before_any_again()
    {
        using var spool = await SpoolAsync(40);
        var holds = new ForwardHolds(_time);
        _broker.Failing = true;

        for (var i = 0; i < 40; i++)
        {
            var pass = await PassAsync(spool, holds, probe: true);
            Assert.True(pass.Away);
            Assert.True(pass.BrokerSuspect);
            Assert.Equal(0, pass.Forwarded);
            _time.Advance(TimeSpan.FromSeconds(10)); // every hold has run out: only the preference for fresh events spreads the probes
        }

        Assert.Equal(40, _broker.Attempts.Count);          // one publish per pass, not a window of them
        Assert.Equal(40, _broker.Attempts.Distinct().Count()); // each event once before any event twice
        Assert.Equal(40, spool.Depth);                      // nothing confirmed, nothing removed
    }

    [Fact]
    public async Task A_confirmed_probe_opens_the_window_for_the_rest()
    {
        using var spool = await SpoolAsync(300);
        var pass = await PassAsync(spool, new ForwardHolds(_time), probe: true);

        Assert.Equal(300, pass.Forwarded);
        Assert.False(pass.BrokerSuspect);
        Assert.Equal(0, spool.Depth);
        Assert.Equal(300, _broker.Attempts.Distinct().Count());
        Assert.Equal(0, _broker.Copies);
    }

    [Fact]
    public async Task An_event_whose_publish_failed_waits_before_its_retry_and_the_wait_doubles()
    {
        using var spool = await SpoolAsync(1);
        var holds = new ForwardHolds(_time);
        _broker.Failing = true;

        async Task<int> AttemptsAfter(TimeSpan advance)
        {
            _time.Advance(advance);
            var before = _broker.Attempts.Count;
            await PassAsync(spool, holds, probe: false);
            return _broker.Attempts.Count - before;
        }

        Assert.Equal(1, await AttemptsAfter(TimeSpan.Zero));
        Assert.Equal(0, await AttemptsAfter(TimeSpan.Zero));                     // held back
        Assert.Equal(0, await AttemptsAfter(ForwardHolds.FirstHold - TimeSpan.FromMilliseconds(1)));
        Assert.Equal(1, await AttemptsAfter(TimeSpan.FromMilliseconds(1)));      // the first hold ran out
        Assert.Equal(0, await AttemptsAfter(ForwardHolds.FirstHold));           // the second is twice as long
        Assert.Equal(1, await AttemptsAfter(ForwardHolds.FirstHold));
        Assert.Equal(3, holds.Failures(_broker.Attempts[0]));

        _broker.Failing = false;
        Assert.Equal(1, await AttemptsAfter(ForwardHolds.MaxHold));
        Assert.Equal(0, spool.Depth);
        Assert.Equal(0, holds.Count); // forgotten once confirmed
    }

    [Fact]
    public async Task A_broker_found_unreachable_before_the_publish_holds_nothing_back()
    {
        using var spool = await SpoolAsync(3);
        var holds = new ForwardHolds(_time);
        _broker.Unreachable = true;

        var pass = await PassAsync(spool, holds, probe: false);
        Assert.True(pass.Away);
        Assert.Equal(0, holds.Count);

        _broker.Unreachable = false;
        pass = await PassAsync(spool, holds, probe: true); // at once: nothing was stored, nothing to wait for
        Assert.Equal(3, pass.Forwarded);
        Assert.Equal(0, _broker.Copies);
    }

    /// <summary>
    /// The forwarder's loop at its fastest (a pass every 250 ms, no backoff) through a 30 s failover in which the
    /// broker stores and fails every publish, the window of 512 publishes cut at its start: every event ends on the
    /// broker, with at most two copies each.
    /// </summary>
    [Fact]
    public async Task Through_a_failover_that_stores_what_it_fails_each_event_is_stored_a_few_times_at_most()
    {
        using var spool = await SpoolAsync(200);
        var holds = new ForwardHolds(_time);
        _broker.Failing = true;
        var failoverEnds = _time.GetUtcNow() + TimeSpan.FromSeconds(30);
        var probe = false; // the broker turns while a full window is in flight
        for (var passes = 0; spool.Depth > 0; passes++)
        {
            Assert.True(passes < 1000, $"{spool.Depth} events still spooled");
            _broker.Failing = _time.GetUtcNow() < failoverEnds;
            probe = (await PassAsync(spool, holds, probe)).BrokerSuspect;
            _time.Advance(TimeSpan.FromMilliseconds(250));
        }

        Assert.Equal(200, _broker.StoredByEvent.Count);               // nothing lost
        Assert.InRange(_broker.StoredByEvent.Values.Max(), 1, 3);     // at most two copies of an event
        Assert.True(_broker.Copies <= 200 + 30 * 4, $"{_broker.Copies} copies"); // the window once, then a probe per pass
    }

    private async Task<EventSpool> SpoolAsync(int n)
    {
        var spool = _folder.Open();
        for (var i = 0; i < n; i++)
        {
            var e = SpoolFolder.Added(_tag, i);
            Assert.True(await spool.TryAppendAsync(e.Type, e.EventId, e.Body));
        }
        return spool;
    }

    private Task<ForwardPass> PassAsync(EventSpool spool, ForwardHolds holds, bool probe) =>
        new ForwardPass(spool, _broker, NullLogger.Instance, holds: holds, probe: probe).RunAsync(CancellationToken.None);

    public void Dispose() => _folder.Dispose();
}
