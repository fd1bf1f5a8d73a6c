namespace WecomBridge.Contracts.Sending;

/// <summary>
/// externalcontact/add_moment_task: a moment the chosen members post (SenderUserIds, SenderDepartmentIds; none:
/// every member in the app's range), seen by customers with CustomerTagIds (none: all).
/// </summary>
public sealed record MomentTask(
    string? Text,
    IReadOnlyList<SendAttachment>? Attachments,
    IReadOnlyList<string>? SenderUserIds,
    IReadOnlyList<long>? SenderDepartmentIds,
    IReadOnlyList<string>? CustomerTagIds);
