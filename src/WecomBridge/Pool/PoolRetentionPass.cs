using Microsoft.Extensions.Options;
using WecomBridge.Journeys.Triggers;

namespace WecomBridge.Pool;

/// <summary>
/// Every <see cref="PoolRetentionOptions.Interval"/> (on the <see cref="TimeProvider"/>, so tests move a fake clock):
/// purges contacts and followers who left longer ago than their retention, prunes applied event ids and erasure
/// tombstones, and then the journeys' pending tags (<paramref name="pendingTags"/>; null where no journeys run beside the
/// pool). The store runs one pass at a time across instances; a failed pass is logged and tried again next time.
/// </summary>
internal sealed partial class PoolRetentionPass(IPoolStore store, IOptionsMonitor<PoolRetentionOptions> options, TimeProvider time,
    ILogger<PoolRetentionPass> logger, PendingTagPruning? pendingTags = null) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.CurrentValue.Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.Failed(logger, e);
            }
        }
    }

    /// <summary>One pass now; null when another instance's pass holds the lock.</summary>
    public async Task<PoolPruned?> RunOnceAsync(CancellationToken ct = default)
    {
        var o = options.CurrentValue;
        var now = time.GetUtcNow();
        var pruned = await store.PruneAsync(PoolCutoffs.At(now, o), o.BatchSize, ct);
        if (pruned is null) Log.Skipped(logger);
        else Log.Pruned(logger, pruned.Contacts, pruned.Followers, pruned.AppliedEvents, pruned.Erasures);
        if (pruned is not null && pendingTags is not null) await pendingTags.RunAsync(now, o.BatchSize, ct);
        return pruned;
    }

    private static partial class Log
    {
        [LoggerMessage(1851, LogLevel.Information,
            "Pool retention: {Contacts} contacts and {Followers} followers purged, {Events} event ids and {Erasures} tombstones pruned")]
        public static partial void Pruned(ILogger logger, int contacts, int followers, int events, int erasures);

        [LoggerMessage(1852, LogLevel.Debug, "Pool retention pass skipped: another instance is running it")]
        public static partial void Skipped(ILogger logger);

        [LoggerMessage(1853, LogLevel.Warning, "Pool retention pass failed; tried again at the next interval")]
        public static partial void Failed(ILogger logger, Exception exception);
    }
}
