using WecomBridge.Messaging;

namespace WecomBridge.Callbacks.Spool;

/// <summary>
/// Publishes spooled events to the broker, oldest first, with up to <see cref="Window"/> publishes awaiting their
/// confirm at once (the gateway takes thousands of callbacks a second: one confirm at a time could not drain behind
/// live traffic), and removes confirmed events in batches. An event refused for good is quarantined and the rest
/// flow; when the broker is away the pass stops and the forwarder backs off. Nothing here stops the host: a database
/// or any other error is logged, backed off and retried.
/// After a pass that met failures the next one probes with one event before it opens the window, and an event whose
/// publish failed waits before its retry (<see cref="ForwardHolds"/>): a broker in a failover may store what it fails,
/// so retries are what makes copies, and they are kept few per event (docs/deployment.md, "What a node loss costs").
/// </summary>
internal sealed partial class SpoolForwarder(
    EventSpool spool, IMessagePublisher publisher, ILogger<SpoolForwarder> logger, TimeProvider? time = null)
    : BackgroundService
{
    public const int Window = 512;
    private const int Batch = 256;
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(250), MaxBackoff = TimeSpan.FromSeconds(10);
    private readonly SemaphoreSlim _wake = new(0);
    private readonly SemaphoreSlim _window = new(Window, Window); // shared by the passes (ForwardPass); never disposed: late settles release it
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Events held back after a failed publish (for tests and drills).</summary>
    public ForwardHolds Holds { get; } = new(time ?? TimeProvider.System);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        spool.Appended += OnAppended;
        var backoff = MinBackoff;
        var probe = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (spool.Depth == 0)
                {
                    probe = true; // the intake spools an event when its publish failed: the broker is suspect then
                    await _wake.WaitAsync(TimeSpan.FromSeconds(5), stoppingToken);
                    continue;
                }
                var pass = await new ForwardPass(spool, publisher, logger, window: _window, holds: Holds, probe: probe).RunAsync(stoppingToken);
                probe = pass.BrokerSuspect;
                if (pass.Progress)
                {
                    backoff = MinBackoff;
                    if (spool.Depth == 0) Log.Drained(logger, pass.Forwarded, pass.Quarantined);
                    continue;
                }
                // Only events whose earlier publish is still awaiting its confirm are left: look again soon, without
                // the backoff of a broker that is away (such a publish settles within EventSpool.LateConfirmWindow).
                if (pass.Waiting > 0 && !pass.Away) backoff = MinBackoff;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log.PassFailed(logger, e.GetType().Name, spool.Depth, backoff.TotalSeconds);
            }
            try { await Task.Delay(backoff, _time, stoppingToken); }
            catch (OperationCanceledException) { return; }
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
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

    internal static partial class Log
    {
        [LoggerMessage(20, LogLevel.Warning, "Forwarding spooled events paused: the broker did not take them ({Error}); {Depth} waiting")]
        public static partial void BrokerAway(ILogger logger, string error, long depth);

        [LoggerMessage(21, LogLevel.Information,
            "Spool drained: every spooled event is on the broker ({Forwarded} forwarded, {Quarantined} quarantined in the last pass)")]
        public static partial void Drained(ILogger logger, int forwarded, int quarantined);

        [LoggerMessage(22, LogLevel.Error, "Spooled event {EventId} (spool id {Id}) quarantined: {Reason}")]
        public static partial void Quarantined(ILogger logger, string eventId, long id, string reason);

        [LoggerMessage(23, LogLevel.Error, "Forwarding the spool failed ({Error}); {Depth} waiting; retrying in {Seconds} s")]
        public static partial void PassFailed(ILogger logger, string error, long depth, double seconds);

        // Per event, for drills that trace where a copy on the broker came from.
        [LoggerMessage(24, LogLevel.Debug, "Spooled event {EventId} forwarded: confirmed")]
        public static partial void Forwarded(ILogger logger, string eventId);

        [LoggerMessage(25, LogLevel.Debug, "Spooled event {EventId} forwarded: no confirm in time, watched and kept in the spool")]
        public static partial void ForwardLate(ILogger logger, string eventId);

        [LoggerMessage(26, LogLevel.Debug, "Spooled event {EventId} forwarded: failed ({Error})")]
        public static partial void ForwardFailed(ILogger logger, string eventId, string error);

        [LoggerMessage(27, LogLevel.Debug, "Spooled event {EventId} dropped: its first publish was confirmed late")]
        public static partial void DroppedConfirmedLate(ILogger logger, string eventId);
    }
}
