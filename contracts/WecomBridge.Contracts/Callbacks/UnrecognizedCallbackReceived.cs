namespace WecomBridge.Contracts.Callbacks;

/// <summary>
/// A verified callback that WecomBridge does not map (unknown Event, ChangeType or MsgType, a missing field or bad
/// value, or content that is not readable XML). Channel: wecom (Corp, App, CorpId set) or oa (Account, AppId set).
/// Never dropped. RawXml is the whole decrypted content as text; RawBase64 holds its exact bytes only when they are
/// not valid UTF-8 (RawXml then shows U+FFFD for each invalid sequence).
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
    string RawXml,
    string? RawBase64 = null);
