using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using StackExchange.Redis;
using WecomBridge.Api;
using WecomBridge.Sending.Dispatcher;
using WecomBridge.Sending.Status;

namespace WecomBridge.Sending.Api;

/// <summary>
/// DELETE /api/v1/messages/{id}: cancels a send no dispatcher is making (accepted or deferred). The store's
/// compare-and-set makes it `dropped` (reason `cancelled`) only while it is still as read, so a dispatcher that takes
/// it meanwhile wins (409), and the dispatcher that later receives the command finds it finished and sends nothing.
/// </summary>
internal sealed partial class MessageCancel(ISendStatusStore store, SendResults results, TimeProvider time, ILogger<MessageCancel> logger)
{
    /// <summary>A dispatcher moving the message between the read and the compare-and-set: read again, a few times.</summary>
    private const int Tries = 3;

    /// <summary>200 with the dropped status; 404 unknown or malformed id; 403 out of the key's scope; 409 sending or finished.</summary>
    public async Task<Results<Ok<MessageStatus>, ProblemHttpResult>> CancelAsync(string id, ClaimsPrincipal user)
    {
        try
        {
            var status = IsWellFormed(id) ? await store.GetAsync(id) : null;
            if (status is null)
                return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "No such message.");
            if (status.Corp is { } corp && !user.MayUseCorp(corp)) return ApiClaims.OutOfScope("corp");
            if (status.Account is { } account && !user.MayUseAccount(account)) return ApiClaims.OutOfScope("account");
            for (var i = 0; i < Tries && status is { State: SendStates.Accepted or SendStates.Deferred }; i++)
            {
                var dropped = status with
                {
                    State = SendStates.Dropped, Reason = SendDrops.Cancelled, UpdatedAt = time.GetUtcNow(), DeferredUntil = null, ErrCode = null,
                };
                if (await store.SettleAsync(dropped, status)) return TypedResults.Ok(MessageStatus.From(await AnnounceAsync(dropped)));
                status = await store.GetAsync(id);
            }
            return NotCancellable(status!.State);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Unavailable",
                detail: "The send status store is unreachable; nothing was cancelled.");
        }
    }

    private async Task<SendStatus> AnnounceAsync(SendStatus dropped)
    {
        Log.Cancelled(logger, dropped.MessageId);
        try
        {
            await results.AnnounceAsync(dropped);
        }
        catch (Exception e) // cancelled all the same; its command, when it comes, finds it finished and publishes the event again
        {
            Log.NotAnnounced(logger, dropped.MessageId, e.GetType().Name);
        }
        return dropped;
    }

    private static ProblemHttpResult NotCancellable(string state) => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
        title: "Not cancellable",
        detail: state == SendStates.Sending
            ? "The message is being sent; it can no longer be cancelled."
            : $"The message is already {state}; only an accepted or deferred message can be cancelled.",
        extensions: new Dictionary<string, object?> { ["state"] = state });

    /// <summary>Ids as the API gives them (and nothing a key lookup could be tricked with).</summary>
    public static bool IsWellFormed(string id) => id.Length is > 0 and <= 128 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Message {MessageId} cancelled")]
        public static partial void Cancelled(ILogger logger, string messageId);

        [LoggerMessage(2, LogLevel.Warning, "Message {MessageId} cancelled but its MessageDropped not published ({Error})")]
        public static partial void NotAnnounced(ILogger logger, string messageId, string error);
    }
}
