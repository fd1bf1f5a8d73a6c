namespace WecomBridge.Contracts.Contacts;

/// <summary>
/// An on-job transfer of a customer failed (transfer_fail); FailReason is customer_refused or
/// customer_limit_exceed.
/// </summary>
public sealed record ExternalContactTransferFailed(
    string EventId,
    string Corp,
    string App,
    string CorpId,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    string UserId,
    string ExternalUserId,
    string? FailReason);
