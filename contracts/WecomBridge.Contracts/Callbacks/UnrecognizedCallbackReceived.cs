namespace WecomBridge.Contracts.Callbacks;

/// <summary>
/// A decrypted callback that WecomBridge does not map (unknown Event, ChangeType or MsgType, or a
/// missing field). Channel: wecom (Corp, App, CorpId set) or oa (Account, AppId set). Never dropped.
/// </summary>
public sealed record UnrecognizedCallbackReceived(
    string EventId,
    string Channel,
    string? Corp,
    string? App,
    string? CorpId,
    string? Account,
    string? AppId,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    string? MsgType,
    string? Event,
    string? ChangeType,
    string Reason,
    string RawXml);
