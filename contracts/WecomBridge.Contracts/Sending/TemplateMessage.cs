namespace WecomBridge.Contracts.Sending;

/// <summary>
/// Official Account message/template/send to a follower: Data maps each template keyword to its value. A
/// mini program page (MiniprogramAppId, MiniprogramPage) wins over Url.
/// </summary>
public sealed record TemplateMessage(
    string OpenId,
    string TemplateId,
    IReadOnlyDictionary<string, string> Data,
    string? Url,
    string? MiniprogramAppId,
    string? MiniprogramPage);
