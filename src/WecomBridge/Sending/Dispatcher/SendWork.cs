using Microsoft.Extensions.Options;
using WecomBridge.Contracts.Sending;
using WecomBridge.Observability;
using WecomBridge.RateLimits;
using WecomBridge.Sending.Limits;
using WecomBridge.Sending.Status;
using WecomBridge.Sending.Suppression;
using WecomBridge.WeCom;

namespace WecomBridge.Sending.Dispatcher;

/// <summary>
/// One attempt at a send: claim (sent once) → quiet hours → sending pauses → suppression list → customer caps →
/// shared rate limits → the client's Polly pipeline. Whatever cannot go now is deferred through delayed redelivery;
/// 45009 or a configuration error pauses the group (<see cref="SendPauses"/>); a transient failure is retried later
/// until the budget is spent (then failed and dead-lettered). A call that may have reached WeCom (its request left:
/// <see cref="SendAttempt"/>) with an unknown outcome is "ambiguous" unless WeCom still drops a repeat; a failure
/// before the request releases the claim for the next delivery.
/// </summary>
internal sealed partial class SendWork(
    ISendStatusStore store, SendResults results, SendCalls calls, SendBuckets buckets, ISuppressionList suppression, ICapStore caps,
    IRateLimiter limiter, ISendScheduler scheduler, IOptionsMonitor<SendPolicyOptions> policies, IOptions<DispatchOptions> options,
    SendPauses pauses, TimeProvider time, ILogger<SendWork> logger, BridgeMetrics metrics)
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
        try
        {
            await ClaimAndAttemptAsync(send, fresh, now, ct);
        }
        catch (LeaseLostException)
        {
            Log.LeaseLost(logger, send.MessageId); // another instance took it over after this one's lease ended
        }
    }

    private async Task ClaimAndAttemptAsync(SendRequested send, SendStatus fresh, DateTimeOffset now, CancellationToken ct)
    {
        if (await results.FinishUnsavedAsync(send.MessageId)) return; // its call was made here; only its status was lost
        var window = SendCalls.RepeatWindow(send);
        var claim = await store.ClaimAsync(send.MessageId, fresh, now, Options.SendLease, window);
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
            case ClaimOutcome.Abandoned: // its call had started: it may have reached WeCom
                Log.Abandoned(logger, send.MessageId);
                await results.AmbiguousAsync(status, "a dispatcher stopped during the call: its outcome is unknown");
                return;
            case ClaimOutcome.Retaken:
                Log.Retaken(logger, send.MessageId);
                break;
        }
        status = status with { NotAfter = SendDrops.Earliest(status.NotAfter, send.NotAfter) };
        if (SendDrops.IsExpired(status, now))
        {
            // Past the request's notAfter: dropped, never sent late; unless an earlier call of it may have reached WeCom.
            if (status.FirstCallAt is null) await results.DroppedAsync(status, SendDrops.Expired);
            else await results.AmbiguousAsync(status, "past its notAfter, and an earlier call's outcome is unknown");
            return;
        }
        var attempt = new SendAttempt(store, caps, status, window, time);
        try
        {
            if (status.DeferredUntil is { } until && until - now > Early)
            {
                await DeferAsync(send, status, until, status.Reason ?? "deferred", announce: false, ct);
                return;
            }
            await AttemptAsync(send, status, now, attempt, ct);
        }
        catch (Exception e) when (!attempt.Started && e is not (LeaseLostException or SendDeadLetteredException))
        {
            // Certainly not sent (Redis, the broker, a token fetch or a shutdown failed before the request): caps back
            // and the claim released, so that the next delivery (a retry in place, a redelivery) sends it at once.
            await ReleaseAsync(attempt, e);
            throw;
        }
    }

    /// <summary>
    /// Quiet hours and pauses first (a send that waits takes nothing meanwhile), then the suppression list, the customer
    /// caps and the rate limits. A send that does not happen gives its caps back; one whose call may have reached WeCom keeps them.
    /// </summary>
    private async Task AttemptAsync(SendRequested original, SendStatus status, DateTimeOffset now, SendAttempt attempt, CancellationToken ct)
    {
        var send = original;
        if (SendRecipients.KeepsQuietHours(send.Kind) && QuietHours.DeferUntil(now, policies.Get(send.Corp)) is { } quietEnd)
        {
            await DeferAsync(original, status, quietEnd, "quiet-hours", announce: true, ct);
            return;
        }
        // A paused corp, secret or API: wait for the pause's end quietly (its SendingPaused said it once for all),
        // taking no caps meanwhile.
        var pause = await pauses.CheckAsync(PauseTarget.Of(send));
        if (pause.WaitUntil is { } resume)
        {
            await DeferAsync(original, status, resume, pause.Reason!, announce: false, ct);
            return;
        }

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
        if (capped.Count > 0)
        {
            var period = CustomerCaps.PeriodOf(now, policies.Get(send.Corp));
            var over = await caps.TakeAsync(send.Corp!, period.Key, period.Limit, period.Ends, send.MessageId, capped);
            skipped.AddRange(over.Select(r => r + ":capped"));
            if (SendRecipients.Without(send, over) is not { } under)
            {
                await results.FailedAsync(status, null, "every recipient is over the customer cap", skipped);
                return;
            }
            send = under;
            attempt.TookCaps(send.Corp!, period.Key, SendRecipients.Capped(send));
        }

        // Every bucket's permit at once, or none: waited for in place up to MaxInlineWait, else the send is deferred.
        var grant = await limiter.AcquireAsync(buckets.For(send), Options.MaxInlineWait, time, ct);
        if (metrics.Permit(SendCalls.ApiOf(send.Kind), send.Corp, send.Account, grant) is { Granted: false } full)
        {
            await attempt.GiveBackAsync();
            await DeferAsync(original, status, time.GetUtcNow() + full.Wait, "rate-limit", announce: true, ct);
            return;
        }

        status = status with { Attempts = status.Attempts + 1 };
        using var paced = PacedCall.Begin(buckets.Call(send)); // the client's retries take permits of their own
        try
        {
            CallResult result;
            try
            {
                result = await attempt.CallAsync(SendCalls.PathOf(send.Kind), c => calls.CallAsync(send, c), ct);
            }
            finally
            {
                status = status with { FirstCallAt = attempt.FirstCallAt };
            }
            await results.SentAsync(status, result, skipped);
            Log.Sent(logger, send.MessageId, send.Kind, status.Attempts);
            await pauses.SucceededAsync(pause);
        }
        catch (RepeatWindowPassedException e)
        {
            Log.RepeatRefused(logger, send.MessageId);
            await results.AmbiguousAsync(status with { Attempts = status.Attempts - 1 },
                $"an earlier call's outcome is unknown and WeCom no longer drops a repeat (first call {e.FirstCallAt:O})");
        }
        catch (ApiException e) when (SendPauses.Pauses(e)) // throttled, or the corp's, secret's or API's setup refused
        {
            await attempt.GiveBackAsync();
            var paused = await pauses.PauseAsync(PauseTarget.Of(send), e);
            Log.Throttled(logger, send.MessageId, e.Path, e.ErrCode);
            // A pause is not the send's fault: it does not spend the retry budget, and the message is kept until it ends.
            await DeferAsync(original, status with { Attempts = status.Attempts - 1 }, paused.Until, paused.Describe(), announce: false, ct);
        }
        catch (ApiException e) when (e.Class is ApiErrorClass.Transient or ApiErrorClass.TokenExpired)
        {
            // In doubt only when a request of the send left and its outcome is unknown; a failed token fetch is not.
            if (attempt.InDoubt && !SendCalls.IsRepeatable(send))
            {
                Log.Ambiguous(logger, send.MessageId, e.Path);
                await results.AmbiguousAsync(status, $"the call may have reached WeCom: {Describe(e)}");
                return;
            }
            var retryAt = time.GetUtcNow() + Backoff(status.Attempts);
            if (attempt.MayHaveBeenDone && (status.Attempts >= Options.RetryBudget
                || SendCalls.RepeatWindow(send) is not { } window || status.FirstCallAt + window <= retryAt))
            {
                Log.Ambiguous(logger, send.MessageId, e.Path);
                await results.AmbiguousAsync(status, $"a call may have reached WeCom and it can no longer be repeated: {Describe(e)}");
                return;
            }
            await attempt.GiveBackAsync();
            if (status.Attempts >= Options.RetryBudget)
            {
                var reason = $"retry budget of {Options.RetryBudget} attempts spent: {Describe(e)}";
                await results.FailedAsync(status, e.ErrCode, reason, skipped);
                throw new SendDeadLetteredException(send.MessageId, reason);
            }
            await DeferAsync(original, status, retryAt, $"retry after {Describe(e)}", announce: true, ct);
        }
        catch (ApiException e)
        {
            await attempt.GiveBackAsync();
            Log.Failed(logger, send.MessageId, e.Path, e.ErrCode);
            await results.FailedAsync(status, e.ErrCode, $"refused: {Describe(e)}", skipped);
        }
        catch (InvalidOperationException e) // the corp, app or account is not (or no longer) configured
        {
            await attempt.GiveBackAsync();
            await results.FailedAsync(status, null, $"configuration: {e.Message}", skipped);
        }
    }

    private async Task ReleaseAsync(SendAttempt attempt, Exception cause)
    {
        try
        {
            var released = await attempt.ReleaseAsync();
            Log.Released(logger, attempt.Claimed.MessageId, cause.GetType().Name, released);
        }
        catch (Exception e) // best effort: with Redis away the lease ends by itself, and no call was recorded
        {
            Log.ReleaseFailed(logger, attempt.Claimed.MessageId, e.GetType().Name);
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

        [LoggerMessage(9, LogLevel.Warning, "Send {MessageId}: another instance took it over; this attempt stops")]
        public static partial void LeaseLost(ILogger logger, string messageId);

        [LoggerMessage(10, LogLevel.Information, "Send {MessageId}: {Error} before its call; claim released: {Released}")]
        public static partial void Released(ILogger logger, string messageId, string error, bool released);

        [LoggerMessage(11, LogLevel.Warning, "Send {MessageId}: its claim could not be released ({Error}); it waits for the lease")]
        public static partial void ReleaseFailed(ILogger logger, string messageId, string error);

        [LoggerMessage(12, LogLevel.Warning, "Send {MessageId}: an earlier call's outcome is unknown and past WeCom's duplicate window; ambiguous")]
        public static partial void RepeatRefused(ILogger logger, string messageId);
    }
}
