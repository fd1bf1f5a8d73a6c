using System.Text;
using WecomBridge.Contracts.Sending;

namespace WecomBridge.Sending.Welcome;

/// <summary>
/// `WeCom:Corps:{corp}:Apps:{app}:Welcome:{state}`: the welcome message the app sends to a customer who was just
/// added through the channel (contact way) with that `State`; `default` for any other state (or none). An app
/// without a matching entry sends no welcome (another app, or the member, may).
/// </summary>
public sealed class WelcomeOptions
{
    public const string DefaultState = "default";

    public string? Text { get; set; }
    public List<WelcomeAttachmentOptions> Attachments { get; set; } = [];

    internal WelcomeMessage ToMessage(string welcomeCode) => new(welcomeCode, string.IsNullOrEmpty(Text) ? null : Text,
        Attachments.Count == 0
            ? null
            : Attachments.Select(a => new SendAttachment(a.Type, a.MediaId, a.PicUrl, a.Title, a.Url, a.Description, a.AppId, a.Page))
                .ToArray());

    internal IEnumerable<string> Check(string path)
    {
        if (string.IsNullOrEmpty(Text) && Attachments.Count == 0) yield return $"{path} needs a Text or Attachments";
        if (Text is not null && Encoding.UTF8.GetByteCount(Text) > 4000) yield return $"{path}:Text is over 4,000 bytes";
        if (Attachments.Count > 9) yield return $"{path}:Attachments has more than 9 items";
        for (var i = 0; i < Attachments.Count; i++)
            if (Attachments[i].Type is not ("image" or "link" or "miniprogram" or "video" or "file"))
                yield return $"{path}:Attachments:{i}:Type must be image, link, miniprogram, video or file";
    }
}

public sealed class WelcomeAttachmentOptions
{
    public string Type { get; set; } = "";
    public string? MediaId { get; set; }
    public string? PicUrl { get; set; }
    public string? Title { get; set; }
    public string? Url { get; set; }
    public string? Description { get; set; }
    public string? AppId { get; set; }
    public string? Page { get; set; }
}
