using WecomBridge.Messaging;

namespace WecomBridge.Callbacks.Spool;

/// <summary>
/// One pass of the forwarder over the spool, oldest first: reads it in batches after a cursor, keeps up to
/// <see cref="SpoolForwarder.Window"/> publishes in flight, removes confirmed events in batches and quarantines
/// refused ones. Many transient failures in a row (or a broker known to be unreachable) end the pass: the broker
/// is away. Bodies in memory: at most one batch read ahead plus the window.
/// A pass that <paramref name="probe"/>s publishes one event alone first and opens the window only once the broker
/// confirmed it: a broker that failed the last pass may store publishes it does not confirm (a failover), and a full
/// window of retries would leave a copy of each. An event whose publish failed is held back (<see cref="ForwardHolds"/>).
/// </summary>
internal sealed partial class ForwardPass(
    EventSpool spool, IMessagePublisher publisher, ILogger logger, TimeSpan? publishTimeout = null, SemaphoreSlim? window = null,
    ForwardHolds? holds = null, bool probe = false)
{
    private const int Batch = 256;
    private const int AwayAfter = 16;
    private readonly TimeSpan _publishTimeout = publishTimeout ?? TimeSpan.FromSeconds(10);
    // The forwarder's window, shared by its passes: a publish that missed its timeout keeps its slot until it settles,
    // so that publishes on the wire never exceed the window, across passes too.
    private readonly SemaphoreSlim _window = window ?? new(SpoolForwarder.Window, SpoolForwarder.Window);
    private readonly Lock _lock = new();
    private List<SpooledEvent> _confirmed = [];
    private List<(SpooledEvent Event, string Reason)> _refused = [];
    private int _failuresInARow;
    private volatile bool _away;
    private volatile bool _probing = probe;

    public int Forwarded { get; private set; }
    public int Quarantined { get; private set; }
    public bool Progress => Forwarded + Quarantined > 0;

    /// <summary>Events left in the spool because an earlier publish of theirs is still awaiting its confirm.</summary>
    public int Waiting { get; private set; }

    /// <summary>Events left in the spool because their last publish failed a short while ago (<see cref="ForwardHolds"/>).</summary>
    public int Held { get; private set; }

    /// <summary>Publishes that failed or missed their confirm's timeout (refusals aside).</summary>
    public int Failures { get; private set; }

    /// <summary>The pass stopped because the broker did not take events.</summary>
    public bool Away => _away;

    /// <summary>
    /// The next pass should probe: this one met a broker that failed publishes, or it was to probe and nothing was
    /// confirmed (every event was held back or waiting: the broker has not shown that it confirms again).
    /// </summary>
    public bool BrokerSuspect => _away || Failures > 0 || _probing;

    public async Task<ForwardPass> RunAsync(CancellationToken stop)
    {
        var inFlight = new List<Task>();
        long cursor = 0;
        // A probe is an event with the fewest failed publishes (the first such): a broker that stores what it fails
        // then gets one more copy of each event before any event gets two more. A scan takes events with at most
        // probeLevel failures; when it found none, the next scan takes the fewest it skipped.
        int probeLevel = 0;
        int? nextLevel = null;
        try
        {
            while (!_away)
            {
                var batch = await spool.PeekAsync(cursor, Batch);
                if (batch.Count == 0)
                {
                    if (!_probing || nextLevel is not { } level) break;
                    await SettleAsync(all: true); // nothing in flight while probing; what was settled is not seen again
                    (probeLevel, nextLevel, cursor, Waiting, Held) = (level, null, 0, 0, 0);
                    continue;
                }
                foreach (var spooled in batch)
                {
                    cursor = spooled.Id;
                    if (spool.IsPublishPending(spooled.EventId))
                    {
                        Waiting++; // an earlier publish of it may still be confirmed: publishing it now could make a copy
                        continue;
                    }
                    if (spool.TakeConfirmedLate(spooled.EventId))
                    {
                        SpoolForwarder.Log.DroppedConfirmedLate(logger, spooled.EventId);
                        lock (_lock) _confirmed.Add(spooled); // on the broker already: its publish was confirmed late
                        holds?.Forget(spooled.EventId);
                        continue;
                    }
                    if (holds?.IsHeld(spooled.EventId) == true)
                    {
                        Held++; // its last publish failed, maybe after the broker stored it: a retry now could make a copy
                        continue;
                    }
                    if (_probing && holds?.Failures(spooled.EventId) is { } failures && failures > probeLevel)
                    {
                        nextLevel = Math.Min(nextLevel ?? failures, failures);
                        continue;
                    }
                    await _window.WaitAsync(stop);
                    if (_away)
                    {
                        _window.Release();
                        break;
                    }
                    var forward = ForwardAsync(spooled, stop);
                    if (!_probing)
                    {
                        inFlight.Add(forward);
                        continue;
                    }
                    // The probe goes alone: the rest follow once the broker confirmed it; a failed probe ends the pass
                    // (Failed), a refused one is quarantined and the next event probes.
                    if (await forward) _probing = false;
                    else if (_away) break;
                }
                inFlight.RemoveAll(t => t.IsCompleted);
                await SettleAsync(all: false);
            }
        }
        finally
        {
            await Task.WhenAll(inFlight); // ForwardAsync does not throw
            await SettleAsync(all: true);
        }
        return this;
    }
}
