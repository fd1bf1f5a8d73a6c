namespace WecomBridge.Messaging;

/// <summary>
/// Groups publishes into batches, as a database groups commits: a publish goes at once when none is waiting for
/// its confirm; otherwise it waits until every publish in flight has its confirm (or failed) and then goes
/// together with all that waited meanwhile. Under load the batches grow by themselves; when idle nothing waits.
/// <para>
/// Why: RabbitMQ confirms a persistent message after syncing its queue to disk, and a classic queue syncs each
/// time it runs out of work. Publishes that reach it one by one each pay for a sync and a confirm; the same
/// publishes arriving together share one. Through the gateway at 64 connections this cut RabbitMQ's CPU per
/// callback by 10–23 % (docs/gateway-performance.md, "2026-12-04", "Publishes in batches").
/// </para>
/// A waiting publish goes on its own after <see cref="MaxWait"/>, so that a confirm that never comes (a blocked
/// broker, a caller without a deadline) holds the others for no longer than that.
/// </summary>
internal sealed class ConfirmBatches
{
    public static readonly TimeSpan MaxWait = TimeSpan.FromMilliseconds(100);

    private readonly Lock _lock = new();
    private readonly TimeSpan _maxWait;
    private int _inFlight;
    private int _waiting;
    private TaskCompletionSource? _next;

    public ConfirmBatches(TimeSpan? maxWait = null) => _maxWait = maxWait ?? MaxWait;

    /// <summary>Publishes sent and not yet confirmed or failed (for tests).</summary>
    public int InFlight { get { lock (_lock) return _inFlight; } }

    /// <summary>Publishes waiting for the next batch (for tests).</summary>
    public int Waiting { get { lock (_lock) return _waiting; } }

    /// <summary>Completes when the caller may publish. Each call must be followed by one <see cref="Leave"/>.</summary>
    public Task EnterAsync()
    {
        TaskCompletionSource next;
        lock (_lock)
        {
            if (_inFlight == 0)
            {
                _inFlight = 1;
                return Task.CompletedTask;
            }
            _waiting++;
            next = _next ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        return WaitAsync(next);
    }

    private async Task WaitAsync(TaskCompletionSource next)
    {
        try
        {
            await next.Task.WaitAsync(_maxWait);
        }
        catch (TimeoutException)
        {
            lock (_lock)
            {
                if (!ReferenceEquals(_next, next)) return; // released meanwhile: already counted in flight
                _waiting--;
                _inFlight++;
            }
        }
    }

    /// <summary>The publish let in by <see cref="EnterAsync"/> is confirmed or failed.</summary>
    public void Leave()
    {
        TaskCompletionSource? release = null;
        lock (_lock)
        {
            if (--_inFlight > 0 || _waiting == 0) return;
            _inFlight = _waiting;
            _waiting = 0;
            release = _next;
            _next = null;
        }
        release?.SetResult();
    }
}
