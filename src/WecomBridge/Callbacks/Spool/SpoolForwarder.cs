using WecomBridge.Messaging;

namespace WecomBridge.Callbacks.Spool;

/// <summary>
/// Publishes spooled events to the broker in the order they were spooled, removing each only after the
/// broker confirmed it. Wakes on every append and backs off while the broker is away.
/// </summary>
internal sealed partial class SpoolForwarder(EventSpool spool, IEventPublisher publisher, ILogger<SpoolForwarder> logger)
    : BackgroundService
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(5);
    private readonly SemaphoreSlim _wake = new(0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        spool.Appended += OnAppended;
        var backoff = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            if (spool.Depth == 0)
            {
                await _wake.WaitAsync(TimeSpan.FromSeconds(5), stoppingToken);
                continue;
            }
            if (await ForwardBatchAsync(stoppingToken)) backoff = TimeSpan.FromMilliseconds(250);
            else
            {
                await Task.Delay(backoff, stoppingToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }

    /// <summary>False when the broker refused: stop at the first failure so that order holds.</summary>
    private async Task<bool> ForwardBatchAsync(CancellationToken stoppingToken)
    {
        foreach (var spooled in await spool.PeekAsync(256))
        {
            if (spool.TakeConfirmedLate(spooled.EventId))
            {
                await spool.RemoveAsync(spooled.Id); // on the broker already: its publish was confirmed late
                continue;
            }
            try
            {
                using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                cancel.CancelAfter(PublishTimeout);
                var type = EventJson.ContractType(spooled.Type);
                await publisher.PublishAsync(type, spooled.EventId, spooled.Body, cancel.Token).WaitAsync(PublishTimeout, stoppingToken);
            }
            catch (Exception e) when (e is not OutOfMemoryException && !stoppingToken.IsCancellationRequested)
            {
                Log.ForwardFailed(logger, spooled.EventId, e.GetType().Name, spool.Depth);
                return false;
            }
            await spool.RemoveAsync(spooled.Id);
        }
        if (spool.Depth == 0) Log.Drained(logger);
        return true;
    }

    private void OnAppended()
    {
        if (_wake.CurrentCount == 0) _wake.Release();
    }

    public override void Dispose()
    {
        spool.Appended -= OnAppended;
        _wake.Dispose();
        base.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(20, LogLevel.Warning, "Forwarding spooled event {EventId} failed ({Error}); {Depth} waiting")]
        public static partial void ForwardFailed(ILogger logger, string eventId, string error, long depth);

        [LoggerMessage(21, LogLevel.Information, "Spool drained: every spooled event is on the broker")]
        public static partial void Drained(ILogger logger);
    }
}
