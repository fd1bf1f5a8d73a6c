using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using WecomBridge.Contracts.Sending;
using WecomBridge.Hosting;
using WecomBridge.Sending.Dispatcher;
using WecomBridge.Sending.Errors;
using WecomBridge.Sending.Status;

namespace WecomBridge.Sending.Sweep;

/// <summary>
/// One round of the sweeper: from the index of unfinished messages, those past their bound (<see cref="SweepOptions"/>)
/// are settled with a compare-and-set against the status read (so a dispatcher that moved one meanwhile wins, and
/// two instances never settle one twice), then their result event is published like every other outcome.
/// Accepted never taken or deferred never back → failed `lost: …`, which a repeat of the request queues again;
/// sending past its lease → ambiguous when a call of it started (FirstCallAt), unless WeCom dedupes the kind; else
/// failed `lost: …`, so that a repeat sends it again.
/// </summary>
internal sealed partial class SendSweep(
    ISendStatusStore store, SendResults results, IOptions<SweepOptions> options, TimeProvider time, ILogger<SendSweep> logger,
    IMeterFactory? meters = null, SendErrorHistory? errors = null)
{
    public const string Lost = "lost: ";
    public const string NeverTaken = Lost + "no dispatcher took it";
    public const string DelayLost = Lost + "its delayed redelivery never came back";
    public const string HolderStopped = Lost + "the dispatcher holding it stopped mid-send";
    public const string Abandoned = "a dispatcher stopped during the send: its outcome is unknown";

    private readonly Counter<long>? _settled = meters?.Create(BridgeTelemetry.Name).CreateCounter<long>(
        "wecombridge.sends.swept", description: "Unfinished sends the sweeper settled, by the state they were stuck in and the outcome");

    /// <summary>Settles what is stuck now; the number settled by this instance.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var settled = 0;
        foreach (var (state, bound) in new[]
                 { (SendStates.Accepted, o.AcceptedFor), (SendStates.Deferred, o.DeferredFor), (SendStates.Sending, o.SendingFor) })
        {
            var count = 0;
            foreach (var id in await store.ListOpenAsync(state, now - bound, o.BatchSize))
            {
                ct.ThrowIfCancellationRequested();
                if (await SettleAsync(id, state, now - bound, now)) count++;
            }
            if (count == 0) continue;
            settled += count;
            Log.Settled(logger, count, state);
        }
        return settled;
    }

    private async Task<bool> SettleAsync(string id, string state, DateTimeOffset dueBy, DateTimeOffset now)
    {
        var seen = await store.GetAsync(id);
        if (seen is null || seen.IsFinished)
        {
            await store.ForgetOpenAsync(id); // its status expired: nothing left to settle
            return false;
        }
        if (seen.State != state || OpenMessages.DueOf(seen) > dueBy) return false; // moved on since the index was read
        var done = Settled(seen, now);
        if (!await store.SettleAsync(done, seen)) return false;
        _settled?.Add(1, new KeyValuePair<string, object?>("state", state), new KeyValuePair<string, object?>("outcome", done.State));
        if (errors is not null) await errors.RecordAsync(done); // its failure or ambiguity joins the error history; never throws
        try
        {
            await results.AnnounceAsync(done);
        }
        catch (Exception e) // settled all the same; a late command of it finds it finished and publishes the event again
        {
            Log.NotAnnounced(logger, id, e.GetType().Name);
        }
        return true;
    }

    private static SendStatus Settled(SendStatus seen, DateTimeOffset now)
    {
        var repeatable = SendCalls.IsRepeatable(new SendRequested(seen.MessageId, seen.Kind, seen.Corp, seen.App, seen.Account, seen.AcceptedAt));
        var (state, reason) = seen.State switch
        {
            SendStates.Accepted => (SendStates.Failed, NeverTaken),
            SendStates.Deferred => (SendStates.Failed, DelayLost),
            _ when repeatable || seen.FirstCallAt is null => (SendStates.Failed, HolderStopped), // no request of it left
            _ => (SendStates.Ambiguous, Abandoned),
        };
        return seen with { State = state, Reason = reason, ErrCode = null, UpdatedAt = now, DeferredUntil = null, LeaseUntil = null };
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Sweep: settled {Count} send(s) stuck in {State}")]
        public static partial void Settled(ILogger logger, int count, string state);

        [LoggerMessage(2, LogLevel.Warning, "Sweep: send {MessageId} settled but its result event not published ({Error})")]
        public static partial void NotAnnounced(ILogger logger, string messageId, string error);
    }
}
