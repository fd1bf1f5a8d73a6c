using Microsoft.Extensions.Options;
using WecomBridge.Sending.Status;

namespace WecomBridge.Sending.Errors;

/// <summary>
/// Records sends that ended failed or ambiguous in the error history (<see cref="ISendErrorStore"/>), as the dispatcher
/// and the sweeper finish them. Best effort: the history is for operators, so a store that fails is logged (message id
/// and error type) and the send's outcome goes on as if nothing happened. Keeps ids and reasons, never content or recipients.
/// </summary>
internal sealed partial class SendErrorHistory(ISendErrorStore store, IOptions<SendErrorOptions> options, ILogger<SendErrorHistory> logger)
{
    public SendErrorLimits Limits => options.Value.Limits;

    public ISendErrorStore Store => store;

    public async Task RecordAsync(SendStatus done)
    {
        if (done.State is not (SendStates.Failed or SendStates.Ambiguous) || (done.Corp is null && done.Account is null)) return;
        var reason = done.Reason ?? done.State;
        if (reason.Length > SendErrorEntry.MaxReason) reason = reason[..SendErrorEntry.MaxReason];
        var entry = new SendErrorEntry(done.MessageId, done.Kind, done.Corp, done.App, done.Account, done.UpdatedAt, reason,
            done.State == SendStates.Ambiguous ? done.FirstCallAt : null);
        try
        {
            await store.RecordAsync(new SendError(SendError.ScopeOf(done.Corp, done.Account), done.State,
                done.State == SendStates.Failed ? done.ErrCode : null, entry), Limits);
        }
        catch (Exception e)
        {
            Log.NotRecorded(logger, done.MessageId, e.GetType().Name);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Send {MessageId}: its outcome was not added to the error history ({Error})")]
        public static partial void NotRecorded(ILogger logger, string messageId, string error);
    }
}
