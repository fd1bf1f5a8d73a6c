namespace WecomBridge.Contracts.Contacts;

/// <summary>Part of <see cref="FollowUser"/>: a tag the member put on the contact. Type 1: corp tag, 2: personal, 3: rule-group tag.</summary>
public sealed record ContactTag(
    string? GroupName,
    string? TagName,
    string? TagId,
    int Type);
