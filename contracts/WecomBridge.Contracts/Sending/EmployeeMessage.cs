namespace WecomBridge.Contracts.Sending;

/// <summary>
/// message/send from an app to members (not customers): ToUsers (≤ 1,000), ToParties (≤ 100), ToTags (≤ 100) or
/// ToAll. MsgType `text` (≤ 2,048 bytes) or `markdown`. WeCom drops a repeat of the same content to the same
/// members within DuplicateCheckSeconds (default 1,800, at most 14,400).
/// </summary>
public sealed record EmployeeMessage(
    IReadOnlyList<string>? ToUsers,
    IReadOnlyList<long>? ToParties,
    IReadOnlyList<long>? ToTags,
    bool ToAll,
    string MsgType,
    string Content,
    bool Safe,
    int? DuplicateCheckSeconds);
