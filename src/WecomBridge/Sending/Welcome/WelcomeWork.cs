using System.Diagnostics;
using Microsoft.Extensions.Options;
using WecomBridge.Contracts.Sending;
using WecomBridge.RateLimits;
using WecomBridge.Sending.Dispatcher;
using WecomBridge.Sending.Limits;
using WecomBridge.Sending.Status;
using WecomBridge.WeCom;
using WecomBridge.WeCom.Models;

namespace WecomBridge.Sending.Welcome;

/// <summary>
/// The priority path: a welcome message goes at once, once, before its deadline (20 s after the add event). No
/// quiet hours, caps or deferral: a welcome that cannot go within its window fails. It takes a permit of the corp's
/// send_welcome_msg bucket, waiting at most until the deadline. No attempt of the call starts after the deadline (the
/// client's retries of 84061 and of calls that certainly did not happen stay inside the window); one that started before
/// it runs to its end. The call is not repeated when its outcome is unknown (the code works once): ambiguous only when
/// a request of it left (<see cref="SendAttempt"/>) and may have reached WeCom, failed otherwise; 41051 (code used or
/// expired) is a plain failure.
/// </summary>
internal sealed partial class WelcomeWork(
    ISendStatusStore store, SendResults results, WeComClient wecom, WeComCredentials corps, IRateLimiter limiter,
    ApiLimits apis, SendPauses pauses, IOptions<ApiClientOptions> client, TimeProvider time, ILogger<WelcomeWork> logger)
{
    /// <summary>How long WeCom accepts a welcome code after the add event.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(20);

    public async Task RunAsync(string messageId, string corp, string app, WelcomeMessage welcome, DateTimeOffset acceptedAt,
        DateTimeOffset deadline, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var started = Stopwatch.GetTimestamp();
        var fresh = new SendStatus(messageId, SendKinds.Welcome, corp, app, null, null, SendStates.Accepted, acceptedAt, now);
        // An attempt that starts just before the deadline may take its whole timeout.
        var lease = Max(deadline - now, TimeSpan.Zero) + client.Value.AttemptTimeout + TimeSpan.FromSeconds(10);
        try
        {
            await ClaimAndSendAsync(messageId, corp, app, welcome, acceptedAt, deadline, fresh, lease, started, ct);
        }
        catch (LeaseLostException)
        {
            Log.LeaseLost(logger, messageId); // another instance took it over after this one's lease ended
        }
    }

    private async Task ClaimAndSendAsync(string messageId, string corp, string app, WelcomeMessage welcome, DateTimeOffset acceptedAt,
        DateTimeOffset deadline, SendStatus fresh, TimeSpan lease, long started, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (await results.FinishUnsavedAsync(messageId)) return; // its call was made here; only its status was lost
        var claim = await store.ClaimAsync(messageId, fresh, now, lease, repeatWindow: null);
        if (claim.Outcome == ClaimOutcome.InFlight)
        {
            // A copy: the holder finishes within its lease, or died; look once more when the lease has ended.
            await Task.Delay(Max((claim.Status.LeaseUntil ?? now) - now, TimeSpan.Zero) + TimeSpan.FromMilliseconds(100), time, ct);
            claim = await store.ClaimAsync(messageId, fresh, time.GetUtcNow(), lease, repeatWindow: null);
        }
        switch (claim.Outcome)
        {
            case ClaimOutcome.Finished:
                await results.AnnounceAsync(claim.Status);
                return;
            case ClaimOutcome.InFlight: // taken again meanwhile: its holder records the outcome
                return;
            case ClaimOutcome.Abandoned: // its call had started: it may have reached WeCom
                await results.AmbiguousAsync(claim.Status, "a dispatcher stopped during the welcome's call: its outcome is unknown");
                return;
        }
        var status = claim.Status with { Attempts = claim.Status.Attempts + 1 };
        if (time.GetUtcNow() >= deadline)
        {
            Log.Late(logger, messageId);
            await results.FailedAsync(status, null, "the welcome code's 20-second window had passed");
            return;
        }

        using var window = new CancellationTokenSource(deadline - time.GetUtcNow(), time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, window.Token);
        var api = SendCalls.ApiOf(SendKinds.Welcome);
        var bucket = apis.ForCorp(corp, api);
        var target = PauseTarget.Welcome(corp, app);
        // A welcome cannot wait for a pause's end: it fails at once, unless it is the probe of a configuration pause.
        var pause = await pauses.CheckAsync(target);
        if (pause.WaitUntil is not null)
        {
            await results.FailedAsync(status, null, $"sending paused: {pause.Reason}");
            return;
        }
        var claimed = Stopwatch.GetTimestamp();
        var attempt = new SendAttempt(store, null, claim.Status, null, time);
        try
        {
            // The corp's send_welcome_msg bucket (its own limit), reserved no later than the deadline, else not at all.
            if (await limiter.AcquireAsync([bucket], deadline - time.GetUtcNow(), time, linked.Token) is { Granted: false })
            {
                await results.FailedAsync(status, null, "the rate limit left no time in the 20-second window");
                return;
            }
            var permitted = Stopwatch.GetTimestamp();
            using var paced = PacedCall.Begin(apis.Call(bucket, api, corp, null));
            // The window bounds when attempts start (CallDeadline), not the attempt in flight: cutting that off would
            // only make its outcome unknown. The attempt marks the call started just before its request leaves.
            await attempt.CallAsync(SendCalls.PathOf(SendKinds.Welcome), async c =>
            {
                await wecom.SendWelcomeMessageAsync(corps.App(corp, app), new WelcomeMessageRequest(welcome.WelcomeCode,
                    SendCalls.Text(welcome.Text), SendCalls.Attachments(welcome.Attachments)), c, new CallDeadline(deadline, time));
                return true;
            }, ct);
            Log.Stages(logger, messageId, (now - acceptedAt).TotalMilliseconds, Stopwatch.GetElapsedTime(started, claimed).TotalMilliseconds,
                Stopwatch.GetElapsedTime(claimed, permitted).TotalMilliseconds, Stopwatch.GetElapsedTime(permitted).TotalMilliseconds);
            await results.SentAsync(status, new CallResult(null, []), []);
            Log.Sent(logger, messageId, (time.GetUtcNow() - acceptedAt).TotalMilliseconds);
            await pauses.SucceededAsync(pause);
        }
        catch (OperationCanceledException) when (window.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            if (attempt.Started) await results.AmbiguousAsync(status, "the 20-second window ended during the call");
            else await results.FailedAsync(status, null, "the rate limit left no time in the 20-second window");
        }
        catch (ApiException e) when (e.OutcomeUnknown && attempt.InDoubt)
        {
            await results.AmbiguousAsync(status, $"the call may have reached WeCom: {e.Path} {e.Class}");
        }
        catch (ApiException e) // WeCom refused it, or it never left (a token fetch that failed): certainly not sent
        {
            if (SendPauses.Pauses(e)) await pauses.PauseAsync(target, e);
            Log.Failed(logger, messageId, e.ErrCode);
            await results.FailedAsync(status, e.ErrCode, e.ErrCode is { } code ? $"refused: errcode {code}"
                : time.GetUtcNow() >= deadline ? $"not sent ({e.Class}); the 20-second window left no further attempt"
                : $"not sent: {e.Path} {e.Class}");
        }
        catch (InvalidOperationException e) // the corp or app is not configured
        {
            await results.FailedAsync(status, null, $"configuration: {e.Message}");
        }
        catch (Exception e) when (!attempt.Started && e is not LeaseLostException)
        {
            // Redis or a shutdown before the request: released, so that a redelivery still sends it within the window.
            try
            {
                await attempt.ReleaseAsync();
            }
            catch (Exception release) when (release is not OperationCanceledException)
            {
                Log.ReleaseFailed(logger, messageId, release.GetType().Name);
            }
            throw;
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Welcome {MessageId} sent {Milliseconds:0} ms after it was accepted")]
        public static partial void Sent(ILogger logger, string messageId, double milliseconds);

        [LoggerMessage(2, LogLevel.Warning, "Welcome {MessageId} arrived after its 20-second window; not sent")]
        public static partial void Late(ILogger logger, string messageId);

        [LoggerMessage(3, LogLevel.Warning, "Welcome {MessageId} refused (errcode {ErrCode})")]
        public static partial void Failed(ILogger logger, string messageId, int? errCode);

        /// <summary>Where a welcome's time went (bench/pacing.sh reads these): queue, claim, permit, WeCom call (token and HTTP).</summary>
        [LoggerMessage(4, LogLevel.Debug,
            "Welcome stages {MessageId}: queued_ms={QueuedMs:0} claim_ms={ClaimMs:0} permit_ms={PermitMs:0} call_ms={CallMs:0}")]
        public static partial void Stages(ILogger logger, string messageId, double queuedMs, double claimMs, double permitMs, double callMs);

        [LoggerMessage(5, LogLevel.Warning, "Welcome {MessageId}: another instance took it over; this attempt stops")]
        public static partial void LeaseLost(ILogger logger, string messageId);

        [LoggerMessage(6, LogLevel.Warning, "Welcome {MessageId}: its claim could not be released ({Error}); it waits for the lease")]
        public static partial void ReleaseFailed(ILogger logger, string messageId, string error);
    }
}
