namespace WecomBridge.RateLimits;

/// <summary>
/// Calls in progress per bucket (corp+API), shared by every instance: WeCom answers 45033 above a concurrency it does
/// not publish. A slot is a lease: a holder that dies without leaving frees it when the lease ends.
/// Redis (a sorted set of holders scored by lease end) or in memory.
/// </summary>
internal interface IConcurrencySlots
{
    /// <summary>
    /// Takes a slot for <paramref name="holder"/> until <paramref name="lease"/> ends, if fewer than <paramref name="limit"/> are held.
    /// </summary>
    Task<bool> TryEnterAsync(string bucket, int limit, string holder, TimeSpan lease);

    Task LeaveAsync(string bucket, string holder);
}

internal static class ConcurrencySlotsExtensions
{
    /// <summary>How often a full bucket is looked at again: slots free within a call's time, and no event says when.</summary>
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    /// <summary>Waits up to <paramref name="maxWait"/> for a slot: the slot (dispose to leave), or null.</summary>
    public static async Task<Slot?> EnterAsync(this IConcurrencySlots slots, string bucket, int limit, TimeSpan lease, TimeSpan maxWait,
        TimeProvider time, CancellationToken ct)
    {
        var holder = Guid.NewGuid().ToString("N");
        var until = time.GetUtcNow() + maxWait;
        while (!await slots.TryEnterAsync(bucket, limit, holder, lease))
        {
            if (time.GetUtcNow() >= until) return null;
            // Jittered, so that waiting instances do not look in step.
            await Task.Delay(Poll * (0.5 + Random.Shared.NextDouble()), time, ct);
        }
        return new Slot(slots, bucket, holder);
    }

    /// <summary>
    /// Left after the call: a leave that fails (Redis away) is dropped, since the slot frees itself when its lease ends,
    /// and the call's answer, already received, must not be lost to it.
    /// </summary>
    internal sealed class Slot(IConcurrencySlots slots, string bucket, string holder) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await slots.LeaveAsync(bucket, holder);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // the lease frees it
            }
        }
    }
}
