using Microsoft.Extensions.Options;
using WecomBridge.OfficialAccount;
using WecomBridge.Sending;
using WecomBridge.Sending.Api;
using WecomBridge.Sending.Dispatcher;
using WecomBridge.Sending.Status;
using WecomBridge.WeCom;

namespace WecomBridge.Journeys.Runtime;

/// <summary>
/// Hands a step's send to the dispatcher the way POST /api/v1/messages does (validated, accepted under an idempotency
/// key, queued), so the dispatcher's caps, quiet hours and suppression decide as for any send. The key
/// `journey:{corp}:{journey}:{enrolment}:{step}` makes a retried step find its first message instead of sending again
/// (for Dispatch:IdempotencyKeyLifetime).
/// </summary>
internal sealed class JourneySender(
    ISendStatusStore store, SendQueue queue, IOptionsMonitor<WeComOptions> wecom, IOptionsMonitor<OfficialAccountOptions> accounts,
    IOptionsMonitor<DispatchOptions> dispatch, TimeProvider time)
{
    /// <summary>The API key name journey sends are recorded under (GET /api/v1/messages shows it as the sender).</summary>
    public const string ApiKey = "journeys";

    public static string KeyOf(ClaimedStep step) =>
        $"journey:{step.Enrolment.Corp}:{step.Enrolment.JourneyId}:{step.Enrolment.Id:N}:{step.StepIndex}";

    /// <summary>The message id once the dispatcher has the send; an invalid request's field errors; or Retry (not queued).</summary>
    public async Task<SendOutcome> SendAsync(SendMessageRequest request, string idempotencyKey)
    {
        var body = ConfiguredNames.Of(request, wecom.CurrentValue, accounts.CurrentValue);
        var errors = SendValidation.Validate(body, wecom.CurrentValue, accounts.CurrentValue);
        if (errors.Any) return new SendOutcome(null, "invalid send: " + string.Join(", ", errors.ToDictionary().Keys));
        var now = time.GetUtcNow();
        var status = new SendStatus(Guid.CreateVersion7(now).ToString("N"), body.Kind!, body.Corp, body.App, body.Account, ApiKey,
            SendStates.Accepted, now, now);
        var scoped = $"{ApiKey.Length}:{ApiKey}:{idempotencyKey}";
        var accepted = await store.AcceptAsync(status, scoped, Idempotency.Hash(body), dispatch.CurrentValue.IdempotencyKeyLifetime,
            queue.RequeueHold);
        // A different body under the key (the step's text resolved differently): the first send stands, never a second one.
        if (!accepted.SameRequest) return new SendOutcome(accepted.MessageId, null);
        if (!accepted.Created)
        {
            var first = await store.GetAsync(accepted.MessageId);
            status = first ?? status with { MessageId = accepted.MessageId };
            if (!SendQueue.NeedsRequeue(status)) return new SendOutcome(status.MessageId, null);
            var again = status with { State = SendStates.Accepted, Reason = null, UpdatedAt = now };
            if (!await store.TakeRequeueAsync(again, first?.State ?? SendStates.Accepted, queue.RequeueHold)) return SendOutcome.Retry;
            status = again;
        }
        var (outcome, _) = await queue.TryQueueAsync(status, SendCommands.For(status.MessageId, body, status.AcceptedAt));
        return outcome == QueueOutcome.Queued ? new SendOutcome(status.MessageId, null) : SendOutcome.Retry;
    }
}

/// <summary>MessageId: the dispatcher has the send. Invalid: it can never be sent (the reason). Neither: try again later.</summary>
internal sealed record SendOutcome(string? MessageId, string? Invalid)
{
    public static readonly SendOutcome Retry = new(null, null);
}
