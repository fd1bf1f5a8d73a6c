using Microsoft.Extensions.Options;
using WecomBridge.Contracts.Sending;
using WecomBridge.RateLimits;
using WecomBridge.Sending.Limits;
using WecomBridge.Sending.Status;
using WecomBridge.Sending.Suppression;
using WecomBridge.WeCom;

namespace WecomBridge.Sending.Dispatcher;

/// <summary>
/// One attempt at a send, in the order the brief gives: claim (sent once) → suppression list → customer caps →
/// quiet hours → shared rate limits → the client's Polly pipeline. Whatever cannot go now is deferred through
/// delayed redelivery; 45009 or a configuration error pauses the group (<see cref="SendPauses"/>); a transient failure
/// is retried later until the budget is spent (then failed and dead-lettered); an unknown outcome of a call WeCom does
/// not dedupe is "ambiguous", never repeated.
/// </summary>
internal sealed partial class SendWork(
    ISendStatusStore store, SendResults results, SendCalls calls, SendBuckets buckets, ISuppressionList suppression, ICapStore caps,
    IRateLimiter limiter, ISendScheduler scheduler, IOptionsMonitor<SendPolicyOptions> policies, IOptions<DispatchOptions> options,
    SendPauses pauses, TimeProvider time, ILogger<SendWork> logger)
{
    /// <summary>A delayed command may come back this much before its time (the delay tiers round down) and still go.</summary>
    private static readonly TimeSpan Early = TimeSpan.FromMilliseconds(250);

    private DispatchOptions Options => options.Value;

    public async Task RunAsync(SendRequested send, CancellationToken ct)
    {
        // Without a message id there is nothing to record: the command faults to the queue's _error queue, kept.
        if (string.IsNullOrEmpty(send.MessageId)) throw new ArgumentException("a send command without a messageId", nameof(send));
        var now = time.GetUtcNow();
        var fresh = new SendStatus(
            send.MessageId, send.Kind ?? "", send.Corp, send.App, send.Account, null, SendStates.Accepted, send.RequestedAt, now,
            NotAfter: send.NotAfter);
        if (SendCommandCheck.Problem(send) is { } problem)
        {
            Log.Malformed(logger, send.MessageId, problem);
            if (await store.GetAsync(send.MessageId) is not { IsFinished: true })
                await results.FailedAsync(fresh, null, "malformed command: " + problem);
            return;
        }
        if (await results.FinishUnsavedAsync(send.MessageId)) return; // its call was made here; only its status was lost
        var claim = await store.ClaimAsync(send.MessageId, fresh, now, Options.SendLease, SendCalls.IsRepeatable(send));
        var status = claim.Status;
        switch (claim.Outcome)
        {
            case ClaimOutcome.Finished:
                Log.Duplicate(logger, send.MessageId, status.State);
                await results.AnnounceAsync(status);
                return;
            case ClaimOutcome.InFlight: // another instance holds it; look again when its lease ends
                await scheduler.ScheduleAsync(send, (status.LeaseUntil ?? now) - now + TimeSpan.FromSeconds(1), ct);
                return;
            case ClaimOutcome.Abandoned:
                Log.Abandoned(logger, send.MessageId);
                await results.AmbiguousAsync(status, "a dispatcher stopped during the send: its outcome is unknown");
                return;
            case ClaimOutcome.Retaken:
                Log.Retaken(logger, send.MessageId);
                break;
        }
        status = status with { NotAfter = SendDrops.Earliest(status.NotAfter, send.NotAfter) };
        if (SendDrops.IsExpired(status, now))
        {
            await results.DroppedAsync(status, SendDrops.Expired); // past the request's notAfter: dropped, never sent late
            return;
        }
        if (status.DeferredUntil is { } until && until - now > Early)
        {
            await DeferAsync(send, status, until, status.Reason ?? "deferred", announce: false, ct);
            return;
        }
        await AttemptAsync(send, status, now, ct);
    }

    private async Task AttemptAsync(SendRequested original, SendStatus status, DateTimeOffset now, CancellationToken ct)
    {
        var send = original;
        var skipped = new List<string>();
        var suppressed = await SendRecipients.SuppressedAsync(send, suppression);
        skipped.AddRange(suppressed.Select(r => r + ":suppressed"));
        if (SendRecipients.Without(send, suppressed) is not { } unsuppressed)
        {
            await results.FailedAsync(status, null, "every recipient is on the suppression list", skipped);
            return;
        }
        send = unsuppressed;

        var capped = SendRecipients.Capped(send);
        var period = capped.Count > 0 ? CustomerCaps.PeriodOf(now, policies.Get(send.Corp)) : default;
        if (capped.Count > 0)
        {
            var over = await caps.TakeAsync(send.Corp!, period.Key, period.Limit, period.Ends, send.MessageId, capped);
            skipped.AddRange(over.Select(r => r + ":capped"));
            if (SendRecipients.Without(send, over) is not { } under)
            {
                await results.FailedAsync(status, null, "every recipient is over the customer cap", skipped);
                return;
            }
            send = under;
        }

        if (SendRecipients.KeepsQuietHours(send.Kind) && QuietHours.DeferUntil(now, policies.Get(send.Corp)) is { } quietEnd)
        {
            await DeferAsync(original, status, quietEnd, "quiet-hours", announce: true, ct);
            return;
        }

        // A paused corp, secret or API: wait for the pause's end quietly (its SendingPaused said it once for all).
        var pause = await pauses.CheckAsync(PauseTarget.Of(send));
        if (pause.WaitUntil is { } resume)
        {
            await DeferAsync(original, status, resume, pause.Reason!, announce: false, ct);
            return;
        }

        // Every bucket's permit at once, or none: waited for in place up to MaxInlineWait, else the send is deferred.
        if (await limiter.AcquireAsync(buckets.For(send), Options.MaxInlineWait, time, ct) is { Granted: false } full)
        {
            await DeferAsync(original, status, time.GetUtcNow() + full.Wait, "rate-limit", announce: true, ct);
            return;
        }

        status = status with { Attempts = status.Attempts + 1 };
        using var paced = PacedCall.Begin(buckets.Call(send)); // the client's retries take permits of their own
        try
        {
            var result = await calls.CallAsync(send, ct);
            await results.SentAsync(status, result, skipped);
            Log.Sent(logger, send.MessageId, send.Kind, status.Attempts);
            await pauses.SucceededAsync(pause);
        }
        catch (ApiException e) when (SendPauses.Pauses(e)) // throttled, or the corp's, secret's or API's setup refused
        {
            var paused = await pauses.PauseAsync(PauseTarget.Of(send), e);
            Log.Throttled(logger, send.MessageId, e.Path, e.ErrCode);
            // A pause is not the send's fault: it does not spend the retry budget, and the message is kept until it ends.
            await DeferAsync(original, status with { Attempts = status.Attempts - 1 }, paused.Until, paused.Describe(), announce: false, ct);
        }
        catch (ApiException e) when (e.Class is ApiErrorClass.Transient or ApiErrorClass.TokenExpired)
        {
            if (e.OutcomeUnknown && !SendCalls.IsRepeatable(send))
            {
                Log.Ambiguous(logger, send.MessageId, e.Path);
                await results.AmbiguousAsync(status, $"the call may have reached WeCom: {Describe(e)}");
                return;
            }
            if (status.Attempts >= Options.RetryBudget)
            {
                var reason = $"retry budget of {Options.RetryBudget} attempts spent: {Describe(e)}";
                await results.FailedAsync(status, e.ErrCode, reason, skipped);
                throw new SendDeadLetteredException(send.MessageId, reason);
            }
            await DeferAsync(original, status, time.GetUtcNow() + Backoff(status.Attempts), $"retry after {Describe(e)}", announce: true, ct);
        }
        catch (ApiException e)
        {
            if (capped.Count > 0) await caps.GiveBackAsync(send.Corp!, period.Key, send.MessageId, SendRecipients.Capped(send));
            Log.Failed(logger, send.MessageId, e.Path, e.ErrCode);
            await results.FailedAsync(status, e.ErrCode, $"refused: {Describe(e)}", skipped);
        }
        catch (InvalidOperationException e) // the corp, app or account is not (or no longer) configured
        {
            await results.FailedAsync(status, null, $"configuration: {e.Message}", skipped);
        }
    }

    private async Task DeferAsync(SendRequested send, SendStatus status, DateTimeOffset until, string reason, bool announce, CancellationToken ct)
    {
        await results.DeferredAsync(status, until, reason, announce);
        var delay = until - time.GetUtcNow();
        await scheduler.ScheduleAsync(send, delay > TimeSpan.Zero ? delay : TimeSpan.Zero, ct);
    }

    private TimeSpan Backoff(int attempt)
    {
        var delay = Options.RetryBaseDelay * Math.Pow(4, Math.Max(0, attempt - 1));
        if (delay > Options.RetryMaxDelay) delay = Options.RetryMaxDelay;
        return delay * (0.8 + Random.Shared.NextDouble() * 0.4);
    }

    private static string Describe(ApiException e) => e.ErrCode is { } code ? $"{e.Path} errcode {code}"
        : e.HttpStatus is { } status ? $"{e.Path} HTTP {status}" : $"{e.Path} {e.Class}";

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Send {MessageId} is already {State}: result published again")]
        public static partial void Duplicate(ILogger logger, string messageId, string state);

        [LoggerMessage(2, LogLevel.Warning, "Send {MessageId}: the dispatcher holding it stopped mid-send; marked ambiguous")]
        public static partial void Abandoned(ILogger logger, string messageId);

        [LoggerMessage(3, LogLevel.Information, "Send {MessageId}: the dispatcher holding it stopped mid-send; sent again (WeCom drops the repeat)")]
        public static partial void Retaken(ILogger logger, string messageId);

        [LoggerMessage(4, LogLevel.Information, "Send {MessageId} ({Kind}) sent after {Attempts} attempt(s)")]
        public static partial void Sent(ILogger logger, string messageId, string kind, int attempts);

        [LoggerMessage(5, LogLevel.Warning, "Send {MessageId}: {Path} throttled or refused the setup (errcode {ErrCode}); paused")]
        public static partial void Throttled(ILogger logger, string messageId, string path, int? errCode);

        [LoggerMessage(6, LogLevel.Warning, "Send {MessageId}: {Path} outcome unknown; marked ambiguous, not repeated")]
        public static partial void Ambiguous(ILogger logger, string messageId, string path);

        [LoggerMessage(8, LogLevel.Warning, "Send {MessageId}: malformed command ({Problem}); failed without a call")]
        public static partial void Malformed(ILogger logger, string messageId, string problem);

        [LoggerMessage(7, LogLevel.Warning, "Send {MessageId}: {Path} refused it (errcode {ErrCode})")]
        public static partial void Failed(ILogger logger, string messageId, string path, int? errCode);
    }
}
