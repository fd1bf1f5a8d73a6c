using WecomBridge.Pool.Activity;

namespace WecomBridge.Pool;

/// <summary>Reported interactions, the stage pass and the outbox in memory (one process: the pass needs no lock but the store's).</summary>
internal sealed partial class InMemoryPoolStore
{
    public Task<ReportOutcome> ReportAsync(string eventId, PoolChange change, CancellationToken ct = default)
    {
        bool wrote;
        ReportOutcome outcome;
        lock (_lock)
        {
            var known = change switch
            {
                ContactInteraction c => _contacts.ContainsKey((c.Corp, c.ExternalUserId)),
                FollowerInteraction f => _followers.ContainsKey((f.Account, f.OpenId)),
                _ => throw new ArgumentException($"Not a reported interaction: {change.GetType().Name}", nameof(change)),
            };
            if (!known) return Task.FromResult(new ReportOutcome(ReportStatus.Unknown, null, null, null));
            var applied = _applied.Add(eventId);
            wrote = applied && Activity(change);
            outcome = Outcome(change, applied ? ReportStatus.Applied : ReportStatus.Duplicate);
        }
        if (wrote) _rules.Outbox.Notify();
        return Task.FromResult(outcome);
    }

    private ReportOutcome Outcome(PoolChange change, ReportStatus status)
    {
        if (change is ContactInteraction c)
        {
            var row = _contacts[(c.Corp, c.ExternalUserId)];
            return new ReportOutcome(status, row.LastInteractionAt, row.LastInteractionKind, row.Stage);
        }
        var f = (FollowerInteraction)change;
        var follower = _followers[(f.Account, f.OpenId)];
        return new ReportOutcome(status, follower.LastInteractionAt, follower.LastInteractionKind, null);
    }

    public Task<int?> RestageAllAsync(DateTimeOffset now, int batchSize, CancellationToken ct = default)
    {
        int changed;
        lock (_lock)
        {
            var written = _outbox.Count;
            var relations = _relations.ToLookup(r => (r.Key.Corp, r.Key.Ext), r => r.Value);
            foreach (var key in _contacts.Keys.ToList()) Restage(Facts(key.Corp, key.Ext, relations[key]), now);
            foreach (var key in _channelAdds.Keys.Where(k => k.Minute < now.AddDays(-1)).ToList()) _channelAdds.Remove(key);
            changed = _outbox.Count - written;
        }
        if (changed > 0) _rules.Outbox.Notify();
        return Task.FromResult<int?>(changed);
    }

    public async Task<int> PublishOutboxAsync(Func<OutboxEvent, Task> publish, int max, CancellationToken ct = default)
    {
        List<OutboxEvent> rows;
        lock (_lock) rows = [.. _outbox.Take(max)];
        var published = 0;
        try
        {
            foreach (var row in rows)
            {
                await publish(row);
                published++;
            }
        }
        finally
        {
            lock (_lock) _outbox.RemoveAll(e => rows.Take(published).Any(r => r.EventId == e.EventId));
        }
        return published;
    }
}
