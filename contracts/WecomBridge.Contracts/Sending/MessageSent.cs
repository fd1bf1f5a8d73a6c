namespace WecomBridge.Contracts.Sending;

/// <summary>
/// A send succeeded: WeCom or the Official Account accepted it. MsgId is what the API answered (add_msg_template's
/// msgid, add_moment_task's jobid, message/send's msgid, the template msgid; null for welcome and customer-service
/// messages). FailedRecipients: ids WeCom listed as failed or invalid; SkippedRecipients: ids the dispatcher left out
/// (suppressed or over the customer cap), each as "id:reason".
/// </summary>
public sealed record MessageSent(
    string EventId,
    string MessageId,
    string Kind,
    string? Corp,
    string? App,
    string? Account,
    DateTimeOffset OccurredAt,
    string? MsgId,
    IReadOnlyList<string> FailedRecipients,
    IReadOnlyList<string> SkippedRecipients);
