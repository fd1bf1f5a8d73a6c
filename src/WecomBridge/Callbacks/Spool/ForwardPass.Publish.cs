using WecomBridge.Messaging;

namespace WecomBridge.Callbacks.Spool;

/// <summary>One event's publish in a pass, and what the pass does with its outcome (remove, quarantine, count as failed).</summary>
internal sealed partial class ForwardPass
{
    /// <summary>Publishes one event; true when the broker confirmed it. Does not throw.</summary>
    private async Task<bool> ForwardAsync(SpooledEvent spooled, CancellationToken stop)
    {
        var watched = false;
        try
        {
            var type = Resolve(spooled.Type);
            if (type is null)
            {
                Refuse(spooled, SpoolRefusal.UnknownType);
                return false;
            }
            var cancel = CancellationTokenSource.CreateLinkedTokenSource(stop);
            try
            {
                // The callback's trace goes on from where it was spooled (docs/tracing.md).
                using var trace = Observability.Tracing.TraceContext.Continue("spool forward", System.Diagnostics.ActivityKind.Producer,
                    Observability.Tracing.TraceContext.Parse(spooled.TraceParent));
                var publish = publisher.PublishAsync(type, spooled.EventId, spooled.Body, cancel.Token);
                try
                {
                    await publish.WaitAsync(_publishTimeout, stop);
                }
                catch (TimeoutException)
                {
                    SpoolForwarder.Log.ForwardLate(logger, spooled.EventId);
                    // A slow confirm, not a refusal: the publish goes on, watched, and the event stays in the spool,
                    // skipped by later passes until that publish settles (a timed-out publish republished at once made
                    // copies whenever a loaded broker took longer than the timeout to confirm).
                    watched = true;
                    spool.WatchLate(spooled.EventId, publish, cancel);
                    _ = publish.ContinueWith(_ => _window.Release(), CancellationToken.None,
                        TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                    throw;
                }
                SpoolForwarder.Log.Forwarded(logger, spooled.EventId);
                holds?.Forget(spooled.EventId);
                lock (_lock)
                {
                    _confirmed.Add(spooled);
                    _failuresInARow = 0;
                }
                return true;
            }
            catch (Exception e) when (!stop.IsCancellationRequested)
            {
                SpoolForwarder.Log.ForwardFailed(logger, spooled.EventId, e.GetType().Name);
                if (SpoolRefusal.Permanent(e, BridgeEntityNameFormatter.ExchangeName(type), spooled.Body.Length) is { } reason)
                    Refuse(spooled, reason);
                else
                {
                    // A nack, a cut confirm or a closed channel may come after the broker stored the message: hold
                    // the event back. A broker found unreachable before the publish was sent stored nothing.
                    if (e is not BrokerUnavailableException) holds?.Failed(spooled.EventId);
                    Failed(e);
                }
            }
            finally
            {
                if (!watched) cancel.Dispose();
            }
        }
        catch (Exception) when (stop.IsCancellationRequested)
        {
            // stopping: the event stays in the spool
        }
        finally
        {
            if (!watched) _window.Release(); // a watched publish gives its slot back when it settles
        }
        return false;
    }

    private static Type? Resolve(string typeName)
    {
        try { return EventJson.ContractType(typeName); }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IOException or BadImageFormatException) { return null; }
    }

    private void Refuse(SpooledEvent spooled, string reason)
    {
        holds?.Forget(spooled.EventId);
        lock (_lock) _refused.Add((spooled, reason));
    }

    private void Failed(Exception e)
    {
        bool nowAway;
        lock (_lock)
        {
            Failures++;
            nowAway = !_away && (++_failuresInARow >= AwayAfter || e is BrokerUnavailableException || _probing);
            if (nowAway) _away = true;
        }
        if (nowAway) SpoolForwarder.Log.BrokerAway(logger, e.GetType().Name, spool.Depth);
    }

    /// <summary>Removes what was confirmed (in batches unless <paramref name="all"/>) and quarantines what was refused.</summary>
    private async Task SettleAsync(bool all)
    {
        List<SpooledEvent> confirmed;
        List<(SpooledEvent Event, string Reason)> refused;
        lock (_lock)
        {
            if (!all && _confirmed.Count < Batch && _refused.Count == 0) return;
            (confirmed, _confirmed) = (_confirmed, []);
            (refused, _refused) = (_refused, []);
        }
        await spool.RemoveAsync(confirmed);
        Forwarded += confirmed.Count;
        foreach (var (spooled, reason) in refused)
        {
            await spool.QuarantineAsync(spooled, reason);
            SpoolForwarder.Log.Quarantined(logger, spooled.EventId, spooled.Id, reason);
            Quarantined++;
        }
    }
}
