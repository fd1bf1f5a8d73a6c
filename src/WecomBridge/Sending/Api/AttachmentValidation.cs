namespace WecomBridge.Sending.Api;

/// <summary>Attachments of welcome messages, customer and group tasks, and moments (add_msg_template, add_moment_task).</summary>
internal static class AttachmentValidation
{
    public static readonly string[] TaskTypes = ["image", "link", "miniprogram", "video", "file"];
    public static readonly string[] MomentTypes = ["image", "link", "video"];

    public static void Check(FieldErrors errors, string path, List<AttachmentRequest?>? attachments, string[] types)
    {
        if (attachments is null) return;
        if (attachments.Count > SendLimits.Attachments)
        {
            errors.Add(path, $"has {attachments.Count} attachments; at most {SendLimits.Attachments} are allowed.");
            return;
        }
        for (var i = 0; i < attachments.Count; i++) One(errors, $"{path}[{i}]", attachments[i], types);
    }

    private static void One(FieldErrors errors, string path, AttachmentRequest? a, string[] types)
    {
        if (a is null)
        {
            errors.Add(path, "must be an attachment object.");
            return;
        }
        if (!errors.Required($"{path}.type", a.Type)) return;
        if (!types.Contains(a.Type, StringComparer.Ordinal))
        {
            errors.Add($"{path}.type", $"must be one of: {string.Join(", ", types)}.");
            return;
        }
        errors.Token($"{path}.mediaId", a.MediaId, SendLimits.MediaId);
        errors.Url($"{path}.picUrl", a.PicUrl);
        errors.Url($"{path}.url", a.Url);
        errors.Id($"{path}.appId", a.AppId, SendLimits.UserId);
        errors.Token($"{path}.page", a.Page, SendLimits.MiniprogramPage);
        switch (a.Type)
        {
            case "image":
                if (a.MediaId is null == (a.PicUrl is null)) errors.Add(path, "an image needs exactly one of mediaId and picUrl.");
                break;
            case "link":
                errors.Required($"{path}.title", a.Title);
                errors.Text($"{path}.title", a.Title, SendLimits.LinkTitleBytes);
                errors.Required($"{path}.url", a.Url);
                errors.Text($"{path}.description", a.Description, SendLimits.LinkDescriptionBytes);
                break;
            case "miniprogram":
                errors.Required($"{path}.title", a.Title);
                errors.Text($"{path}.title", a.Title, SendLimits.MiniprogramTitleBytes);
                errors.Required($"{path}.mediaId", a.MediaId);
                errors.Required($"{path}.appId", a.AppId);
                errors.Required($"{path}.page", a.Page);
                break;
            default: // video, file
                errors.Required($"{path}.mediaId", a.MediaId);
                break;
        }
        if (a.Type is not ("link" or "miniprogram")) errors.Absent($"{path}.title", a.Title, $"is not a field of a {a.Type} attachment.");
        if (a.Type != "link") errors.Absent($"{path}.url", a.Url, $"is not a field of a {a.Type} attachment.");
    }

    /// <summary>add_moment_task takes one kind: ≤ 9 images, or 1 video, or 1 link.</summary>
    public static void MomentMix(FieldErrors errors, string path, List<AttachmentRequest?>? attachments)
    {
        if (attachments is not { Count: > 0 } || attachments.Any(a => a is null)) return;
        var kinds = attachments.Select(a => a!.Type).Distinct().ToList();
        if (kinds.Count > 1) errors.Add(path, "must be images only, or one video, or one link.");
        else if (kinds[0] is "video" or "link" && attachments.Count > 1) errors.Add(path, $"takes one {kinds[0]} only.");
    }
}
