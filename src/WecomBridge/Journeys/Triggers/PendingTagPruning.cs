using Microsoft.Extensions.Options;

namespace WecomBridge.Journeys.Triggers;

/// <summary>
/// Deletes the tag ledger's events older than <see cref="PendingTagOptions.PendingTagLifetime"/>: reads whose
/// enrolments failed part-way and that were never redelivered. Part of the pool's retention pass (its interval and
/// batch size), in batches so that no statement holds the ledger long.
/// </summary>
internal sealed partial class PendingTagPruning(IJourneyTagLedger ledger, IOptionsMonitor<PendingTagOptions> options,
    ILogger<PendingTagPruning> logger)
{
    /// <summary>Prunes what is older than the lifetime at <paramref name="now"/>; returns the events deleted.</summary>
    public async Task<int> RunAsync(DateTimeOffset now, int batchSize, CancellationToken ct = default)
    {
        var before = now - options.CurrentValue.PendingTagLifetime;
        var total = 0;
        while (true)
        {
            var n = await ledger.PruneAsync(before, batchSize, ct);
            total += n;
            if (n < batchSize) break;
        }
        if (total > 0) Log.Pruned(logger, total, before);
        return total;
    }

    private static partial class Log
    {
        [LoggerMessage(1980, LogLevel.Information, "Journey tag ledger: {Count} events remembered before {Before} pruned (never redelivered)")]
        public static partial void Pruned(ILogger logger, int count, DateTimeOffset before);
    }
}
