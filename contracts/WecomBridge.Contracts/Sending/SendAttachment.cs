namespace WecomBridge.Contracts.Sending;

/// <summary>
/// An attachment of a welcome message, customer or group task, or moment. Type: `image` (MediaId or PicUrl),
/// `link` (Title, Url, optional PicUrl and Description), `miniprogram` (Title, MediaId of the cover, AppId, Page),
/// `video` (MediaId) or `file` (MediaId).
/// </summary>
public sealed record SendAttachment(
    string Type,
    string? MediaId = null,
    string? PicUrl = null,
    string? Title = null,
    string? Url = null,
    string? Description = null,
    string? AppId = null,
    string? Page = null);
