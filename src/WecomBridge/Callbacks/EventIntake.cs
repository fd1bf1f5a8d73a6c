using System.Diagnostics;
using Microsoft.Extensions.Options;
using WecomBridge.Callbacks.Dedupe;
using WecomBridge.Callbacks.Spool;
using WecomBridge.Hosting;
using WecomBridge.Messaging;
using WecomBridge.Observability;

namespace WecomBridge.Callbacks;

/// <summary>
/// Makes a verified, parsed callback durable exactly once before it is answered:
/// claim the dedupe key → publish with confirm (bounded) → else append to the spool → mark done.
/// When neither the broker nor the spool takes it, the key is freed and the caller must not answer,
/// so that WeCom retries. When Redis is unreachable the event is accepted without dedupe: a duplicate
/// carrying its deterministic event id beats a lost event.
/// </summary>
internal sealed partial class EventIntake(
    ICallbackDedupe dedupe, IMessagePublisher publisher, EventSpool spool, GatewayMetrics metrics,
    IOptions<GatewayOptions> options, ILogger<EventIntake> logger, BridgeMetrics? bridge = null)
{
    private static readonly TimeSpan DedupeTimeout = TimeSpan.FromMilliseconds(750);
    private static readonly TimeSpan WaitForOtherCopy = TimeSpan.FromSeconds(3);

    public async Task<IntakeOutcome> AcceptAsync(object message, string eventId, string dedupeKey)
    {
        using var activity = BridgeTelemetry.Source.StartActivity("callback intake"); // null unless traces are exported
        activity?.SetTag("wecombridge.event_id", eventId);
        activity?.SetTag("wecombridge.event_type", message.GetType().Name);
        var started = Stopwatch.GetTimestamp();
        var outcome = await AcceptCoreAsync(message, eventId, dedupeKey);
        metrics.Intake(Stopwatch.GetElapsedTime(started), outcome.ToString());
        activity?.SetTag("wecombridge.outcome", outcome.ToString());
        return outcome;
    }

    private async Task<IntakeOutcome> AcceptCoreAsync(object message, string eventId, string dedupeKey)
    {
        var o = options.Value;
        var state = await ClaimAsync(dedupeKey, o.InFlightTtl);
        if (state == DedupeState.InFlight) state = await AwaitOtherCopyAsync(dedupeKey, o.InFlightTtl);
        bridge?.Dedupe(state switch { DedupeState.Done => "duplicate", DedupeState.InFlight => "in_flight", _ => "claimed" });
        if (state == DedupeState.Done) return IntakeOutcome.Duplicate;
        if (state == DedupeState.InFlight) return IntakeOutcome.Unavailable; // the other copy is still at it: let WeCom retry

        IntakeOutcome outcome;
        try
        {
            outcome = await MakeDurableAsync(message, eventId, o.PublishTimeout);
        }
        catch
        {
            await Guard(() => dedupe.ReleaseAsync(dedupeKey)); // so that the sender's retry is not taken for a duplicate
            throw;
        }
        if (outcome == IntakeOutcome.Unavailable)
        {
            Log.Unavailable(logger, eventId);
            await Guard(() => dedupe.ReleaseAsync(dedupeKey));
            return outcome;
        }
        await Guard(() => dedupe.MarkDoneAsync(dedupeKey, o.DedupeTtl));
        return outcome;
    }

    private async Task<IntakeOutcome> MakeDurableAsync(object message, string eventId, TimeSpan publishTimeout)
    {
        var type = message.GetType();
        var body = EventJson.Serialize(message);
        if (await TryPublishAsync(type, eventId, body, publishTimeout)) return IntakeOutcome.Published;
        if (!await spool.TryAppendAsync(type.FullName!, eventId, body, Observability.Tracing.TraceContext.Current()))
            return IntakeOutcome.Unavailable;
        Log.Spooled(logger, eventId, spool.Depth);
        return IntakeOutcome.Spooled;
    }

    private async Task<DedupeState> ClaimAsync(string key, TimeSpan inFlightTtl)
    {
        try
        {
            return await dedupe.TryClaimAsync(key, inFlightTtl).WaitAsync(DedupeTimeout);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.DedupeUnavailable(logger, e.GetType().Name);
            bridge?.Dedupe("unavailable");
            return DedupeState.Claimed;
        }
    }

    private async Task<DedupeState> AwaitOtherCopyAsync(string key, TimeSpan inFlightTtl)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(WaitForOtherCopy.TotalSeconds * Stopwatch.Frequency);
        var state = DedupeState.InFlight;
        while (state == DedupeState.InFlight && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(20);
            state = await ClaimAsync(key, inFlightTtl);
        }
        return state;
    }

    private async Task<bool> TryPublishAsync(Type type, string eventId, byte[] body, TimeSpan timeout)
    {
        // The publish itself may go on after the answer stopped waiting for it: the spool watches it, so that its
        // spooled copy is neither forwarded while it may still be confirmed nor kept once it is (EventSpool.Late.cs).
        var cancel = new CancellationTokenSource();
        var watched = false;
        Task publish = Task.CompletedTask;
        var started = Stopwatch.GetTimestamp();
        try
        {
            publish = publisher.PublishAsync(type, eventId, body, cancel.Token); // may throw before it returns a task
            await publish.WaitAsync(timeout);
            bridge?.Published(Stopwatch.GetElapsedTime(started), "confirmed");
            return true;
        }
        catch (TimeoutException)
        {
            Log.PublishFailed(logger, eventId, "no confirm within Gateway:PublishTimeout");
            bridge?.Published(Stopwatch.GetElapsedTime(started), "timeout");
            watched = true; // the spool disposes the token source, whether it watches the publish or cancels it
            spool.WatchLate(eventId, publish, cancel);
            return false;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.PublishFailed(logger, eventId, e.GetType().Name);
            bridge?.Published(Stopwatch.GetElapsedTime(started), "failed");
            return false;
        }
        finally
        {
            if (!watched) cancel.Dispose();
        }
    }

    private async Task Guard(Func<Task> dedupeCall)
    {
        try
        {
            await dedupeCall().WaitAsync(DedupeTimeout);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.DedupeUnavailable(logger, e.GetType().Name);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(10, LogLevel.Warning, "Event {EventId} spooled: the broker did not confirm in time ({Depth} waiting)")]
        public static partial void Spooled(ILogger logger, string eventId, long depth);

        [LoggerMessage(11, LogLevel.Error,
            "Event {EventId} neither published nor spooled: closing the connection unanswered so that the sender retries")]
        public static partial void Unavailable(ILogger logger, string eventId);

        [LoggerMessage(12, LogLevel.Warning, "Dedupe store unavailable ({Error}): accepting without dedupe")]
        public static partial void DedupeUnavailable(ILogger logger, string error);

        [LoggerMessage(13, LogLevel.Warning, "Publishing event {EventId} failed ({Error})")]
        public static partial void PublishFailed(ILogger logger, string eventId, string error);
    }
}

internal enum IntakeOutcome
{
    Published,
    Spooled,
    Duplicate,
    Unavailable,
}
