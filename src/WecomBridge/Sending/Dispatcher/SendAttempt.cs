using System.Diagnostics;
using WecomBridge.Sending.Limits;
using WecomBridge.Sending.Status;
using WecomBridge.WeCom;

namespace WecomBridge.Sending.Dispatcher;

/// <summary>
/// What one attempt at a send holds and knows: its claim (the owner token in <see cref="Claimed"/>), the customer caps
/// it took, and whether its call may have reached WeCom. The call counts as started once the status records it, just
/// before its HTTP request leaves (<see cref="CallGate"/>, after the access token); whatever goes wrong before that
/// leaves the send certainly not done, so the attempt gives its caps back and releases its claim. A request that then
/// ends without a known outcome makes the attempt <see cref="InDoubt"/>: its caps stay counted and its start is kept
/// (<see cref="FirstCallAt"/>) to decide whether WeCom still drops a repeat.
/// </summary>
internal sealed class SendAttempt(ISendStatusStore store, ICapStore? caps, SendStatus claimed, TimeSpan? repeatWindow, TimeProvider time)
{
    /// <summary>How long a failed claim release is tried again at most: a Redis failover (Sentinel, Cluster) takes seconds.</summary>
    internal static readonly TimeSpan ReleaseRetries = TimeSpan.FromSeconds(30);

    private (string Corp, string Period, IReadOnlyList<string> Recipients)? _caps;
    private DateTimeOffset? _firstCall;

    public SendStatus Claimed => claimed;

    /// <summary>The status recorded a request of this attempt as leaving: from here on it may reach WeCom.</summary>
    public bool Started { get; private set; }

    /// <summary>A request of this attempt ended without a known outcome: it may have been acted on.</summary>
    public bool InDoubt { get; private set; }

    /// <summary>The start of the earliest call whose outcome is unknown, after this attempt (null: none).</summary>
    public DateTimeOffset? FirstCallAt => InDoubt ? _firstCall ?? claimed.FirstCallAt : claimed.FirstCallAt;

    /// <summary>Whether a call of this send, in this attempt or an earlier one, may have been done.</summary>
    public bool MayHaveBeenDone => FirstCallAt is not null;

    public void TookCaps(string corp, string period, IReadOnlyList<string> recipients) =>
        _caps = recipients.Count > 0 ? (corp, period, recipients) : null;

    /// <summary>Gives the caps this attempt took back, once, unless a call may have been done (WeCom counted it then).</summary>
    public async Task GiveBackAsync()
    {
        if (_caps is not { } taken || caps is null || MayHaveBeenDone) return;
        _caps = null;
        await caps.GiveBackAsync(taken.Corp, taken.Period, claimed.MessageId, taken.Recipients);
    }

    /// <summary>Runs the send's call with its requests to <paramref name="path"/> watched.</summary>
    public Task<T> CallAsync<T>(string path, Func<CancellationToken, Task<T>> call, CancellationToken ct) =>
        CallGate.RunAsync(new CallGate.Watch(path, MarkAsync, () => InDoubt = true), () => call(ct));

    /// <summary>
    /// Before the call started: caps back and the claim released (accepted, or deferred as it was; no lease), so that
    /// the next delivery sends it at once instead of waiting for the lease. False when another instance holds it now.
    /// A release that fails is tried again, with a short backoff, for the rest of the lease (at most
    /// <see cref="ReleaseRetries"/>, in real time), then its last error is thrown: the claim may hold a call mark whose
    /// reply was lost (Redis failing over mid-script), and a lease that ended with that mark in place would make the next
    /// claim take the send for one that may have reached WeCom ("ambiguous") though its request never left.
    /// </summary>
    public async Task<bool> ReleaseAsync()
    {
        await GiveBackAsync();
        var state = claimed.DeferredUntil is null ? SendStates.Accepted : SendStates.Deferred;
        var rest = claimed.LeaseUntil is { } until ? until - time.GetUtcNow() : TimeSpan.Zero;
        if (rest > ReleaseRetries) rest = ReleaseRetries;
        var clock = Stopwatch.StartNew();
        var backoff = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            try
            {
                return await store.SaveAsync(claimed with { State = state, UpdatedAt = time.GetUtcNow() });
            }
            catch (Exception e) when (e is not OperationCanceledException && clock.Elapsed + backoff < rest)
            {
                // Redis coming back is not on the send's clock (a test's may stand still): wait in real time.
                await Task.Delay(backoff, CancellationToken.None);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(1).Ticks));
            }
        }
    }

    private async Task MarkAsync(CancellationToken ct)
    {
        if (Started) return; // the client's pipeline retries a request that certainly was not done: the first mark stands
        var mark = await store.MarkCallAsync(claimed.MessageId, claimed.Owner!, time.GetUtcNow(), repeatWindow);
        switch (mark.Outcome)
        {
            case CallMarkOutcome.NotOwner:
                throw new LeaseLostException(claimed.MessageId);
            case CallMarkOutcome.WindowPassed:
                throw new RepeatWindowPassedException(claimed.MessageId, mark.FirstCallAt);
        }
        _firstCall = mark.FirstCallAt;
        Started = true;
    }
}

/// <summary>The claim of a send was taken over by another instance (this one's lease had ended): this one stops, silent.</summary>
internal sealed class LeaseLostException(string messageId) : Exception($"send {messageId}: its claim is held by another instance");

/// <summary>A repeat of a call whose outcome is unknown, refused before it left: WeCom no longer drops it as a duplicate.</summary>
internal sealed class RepeatWindowPassedException(string messageId, DateTimeOffset? firstCallAt)
    : Exception($"send {messageId}: the first call ({firstCallAt:O}) is past WeCom's duplicate window")
{
    public DateTimeOffset? FirstCallAt => firstCallAt;
}
