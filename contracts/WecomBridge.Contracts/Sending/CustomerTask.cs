namespace WecomBridge.Contracts.Sending;

/// <summary>
/// externalcontact/add_msg_template, chat_type single: a task the sender confirms in the WeCom client.
/// ExternalUserIds (≤ 10,000) or TagFilter (groups of corp tag ids: OR within a group, AND across groups) or
/// Sender alone (all of that member's customers), or Audience: the contacts of a segment of the contact pool, which
/// the dispatcher expands into one task per member and page (Sender given: only that member's customers).
/// </summary>
public sealed record CustomerTask(
    string? Sender,
    IReadOnlyList<string>? ExternalUserIds,
    IReadOnlyList<IReadOnlyList<string>>? TagFilter,
    bool? AllowSelect,
    string? Text,
    IReadOnlyList<SendAttachment>? Attachments,
    CustomerAudience? Audience = null);
