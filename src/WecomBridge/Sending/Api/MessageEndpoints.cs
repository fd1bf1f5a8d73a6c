using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using WecomBridge.Api;
using WecomBridge.OfficialAccount;
using WecomBridge.Sending.Audience;
using WecomBridge.Sending.Dispatcher;
using WecomBridge.Sending.Status;
using WecomBridge.WeCom;

namespace WecomBridge.Sending.Api;

/// <summary>POST and GET /api/v1/messages.</summary>
internal sealed class MessageEndpoints(
    SendQueue queue, ISendStatusStore store, IOptionsMonitor<WeComOptions> wecom, IOptionsMonitor<OfficialAccountOptions> accounts,
    IOptionsMonitor<DispatchOptions> dispatch, TimeProvider time, AudienceResolver audiences, IAudienceLedger ledger)
{
    /// <summary>Client errors 400/403/413/415/422; 202 + Location once the command is on the broker; 503 when it cannot be.</summary>
    public async Task<Results<Accepted<MessageAccepted>, ValidationProblem, ProblemHttpResult>> SendAsync(
        HttpRequest request, ClaimsPrincipal user, CancellationToken ct)
    {
        var apiKey = user.FindFirstValue(ApiClaims.KeyName)!;
        var (idempotencyKey, keyValid) = Idempotency.Read(request, apiKey);
        if (!keyValid)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                { [Idempotency.Header] = [$"must be 1–{Idempotency.MaxLength} printable ASCII characters, given once."] });

        var (read, refused, invalid) = await SendBody.ReadAsync(request, ct);
        if (refused is not null) return refused;
        if (invalid is not null) return invalid;
        // Names as configured (configuration keys ignore case): `Acme` and `acme` share one bucket, cap and status.
        var body = ConfiguredNames.Of(read!, wecom.CurrentValue, accounts.CurrentValue);
        // Scope before validation: a key learns nothing about corps and accounts it may not use (unknown ones included).
        if (body.Corp is { } corp && !user.MayUseCorp(corp)) return ApiClaims.OutOfScope("corp");
        if (body.Account is { } account && !user.MayUseAccount(account)) return ApiClaims.OutOfScope("account");
        var errors = SendValidation.Validate(body, wecom.CurrentValue, accounts.CurrentValue);
        var notAfter = SendNotAfter.Check(errors, body, time.GetUtcNow());
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());
        var (command, unresolvable, outOfScope) = await audiences.ResolveAsync(body, user, ct);
        if (unresolvable is not null) return unresolvable;
        if (outOfScope is not null) return outOfScope;

        try
        {
            return await AcceptAsync(body, apiKey, idempotencyKey, notAfter, request.HttpContext.Response, command);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return Unavailable(request.HttpContext.Response, "The send status store is unreachable; nothing was queued.", null);
        }
    }

    private async Task<Results<Accepted<MessageAccepted>, ValidationProblem, ProblemHttpResult>> AcceptAsync(
        SendMessageRequest body, string apiKey, string? idempotencyKey, DateTimeOffset? notAfter, HttpResponse response,
        SendMessageRequest? command = null)
    {
        var now = time.GetUtcNow();
        var status = new SendStatus(Guid.CreateVersion7(now).ToString("N"), body.Kind!, body.Corp, body.App, body.Account, apiKey,
            SendStates.Accepted, now, now, NotAfter: notAfter);
        var accepted = await store.AcceptAsync(status, idempotencyKey, Idempotency.Hash(body), dispatch.CurrentValue.IdempotencyKeyLifetime,
            queue.RequeueHold);
        if (!accepted.SameRequest)
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Idempotency-Key reused",
                detail: "This Idempotency-Key was used with a different request; use a new key for a new message.",
                extensions: new Dictionary<string, object?> { ["messageId"] = accepted.MessageId });
        if (!accepted.Created)
        {
            var first = await store.GetAsync(accepted.MessageId);
            status = first ?? status with { MessageId = accepted.MessageId };
            if (!SendQueue.NeedsRequeue(status)) return Accept(status);
            // One repeat at most publishes it again, and none while the first request may still be publishing it.
            var again = status with { State = SendStates.Accepted, Reason = null, UpdatedAt = now };
            if (!await store.TakeRequeueAsync(again, first?.State ?? SendStates.Accepted, queue.RequeueHold))
                return Accept(await store.GetAsync(status.MessageId) ?? status);
            status = again;
        }
        var (outcome, current) = await queue.TryQueueAsync(status, SendCommands.For(status.MessageId, command ?? body, status.AcceptedAt,
            status.NotAfter));
        return outcome switch
        {
            QueueOutcome.Queued => Accept(current),
            QueueOutcome.NotQueued => Unavailable(response,
                "The message broker did not take the message; nothing will be sent. Repeat the request (with the same Idempotency-Key).",
                status.MessageId),
            _ => Unavailable(response,
                "The message broker did not confirm the message in time and its state could not be read: it may still be sent. "
                + "Repeat the request with the same Idempotency-Key to learn its state.", status.MessageId),
        };
    }

    private static ProblemHttpResult Unavailable(HttpResponse response, string detail, string? messageId)
    {
        response.Headers.RetryAfter = "5";
        return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not queued", detail: detail,
            extensions: messageId is null ? null : new Dictionary<string, object?> { ["messageId"] = messageId });
    }

    private static Accepted<MessageAccepted> Accept(SendStatus status) =>
        TypedResults.Accepted($"/api/v1/messages/{status.MessageId}", new MessageAccepted(status.MessageId, status.State, status.Kind));

    /// <summary>404 for unknown and malformed ids; 403 when the key may not use the message's corp or account.</summary>
    public async Task<Results<Ok<MessageStatus>, ProblemHttpResult>> GetAsync(string id, ClaimsPrincipal user)
    {
        var status = id.Length is > 0 and <= 128 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? await store.GetAsync(id) : null;
        if (status is null) return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "No such message.");
        if (status.Corp is { } corp && !user.MayUseCorp(corp)) return ApiClaims.OutOfScope("corp");
        if (status.Account is { } account && !user.MayUseAccount(account)) return ApiClaims.OutOfScope("account");
        var audience = status.Kind == SendKinds.CustomerTask ? await AudienceProgress.ReadAsync(ledger, status.MessageId) : null;
        return TypedResults.Ok(MessageStatus.From(status) with { Audience = audience });
    }
}
