using WecomBridge.Sending.Audience;

namespace WecomBridge.Sending.Api;

internal static partial class SendValidation
{
    private static void Welcome(FieldErrors errors, WelcomeRequest w)
    {
        errors.Required("welcome.welcomeCode", w.WelcomeCode);
        errors.Token("welcome.welcomeCode", w.WelcomeCode, SendLimits.WelcomeCode);
        Content(errors, "welcome", w.Text, w.Attachments, SendLimits.TaskTextBytes, AttachmentValidation.TaskTypes);
    }

    private static void CustomerTask(FieldErrors errors, CustomerTaskRequest t)
    {
        errors.Id("customerTask.sender", t.Sender, SendLimits.UserId);
        errors.Ids("customerTask.externalUserIds", t.ExternalUserIds, SendLimits.ExternalUserIds, SendLimits.ExternalUserId);
        if (t.TagFilter is { } filter)
        {
            if (filter.Count is 0 || filter.Count > SendLimits.TagGroups)
                errors.Add("customerTask.tagFilter", $"must have 1–{SendLimits.TagGroups} groups of tag ids when given.");
            else
                for (var g = 0; g < filter.Count; g++)
                {
                    if (filter[g] is null) errors.Add($"customerTask.tagFilter[{g}]", "must be a list of tag ids.");
                    else errors.Ids($"customerTask.tagFilter[{g}]", filter[g], SendLimits.TagsPerGroup, SendLimits.TagId);
                }
        }
        if (t.Audience is { } audience) AudienceValidation.Check(errors, t, audience);
        else if (t.Sender is null && t.ExternalUserIds is null && t.TagFilter is null)
            errors.Add("customerTask", "needs externalUserIds, tagFilter, audience or sender (all of that member's customers).");
        Content(errors, "customerTask", t.Text, t.Attachments, SendLimits.TaskTextBytes, AttachmentValidation.TaskTypes);
    }

    private static void GroupTask(FieldErrors errors, GroupTaskRequest t)
    {
        errors.Required("groupTask.sender", t.Sender);
        errors.Id("groupTask.sender", t.Sender, SendLimits.UserId);
        errors.Ids("groupTask.chatIds", t.ChatIds, SendLimits.ChatIds, SendLimits.ChatId);
        Content(errors, "groupTask", t.Text, t.Attachments, SendLimits.TaskTextBytes, AttachmentValidation.TaskTypes);
    }

    private static void MomentTask(FieldErrors errors, MomentTaskRequest t)
    {
        if (t.Text is null && t.Attachments is not { Count: > 0 }) errors.Add("momentTask", "needs text or attachments.");
        errors.TextChars("momentTask.text", t.Text, SendLimits.MomentTextChars);
        AttachmentValidation.Check(errors, "momentTask.attachments", t.Attachments, AttachmentValidation.MomentTypes);
        AttachmentValidation.MomentMix(errors, "momentTask.attachments", t.Attachments);
        errors.Ids("momentTask.senderUserIds", t.SenderUserIds, SendLimits.MomentSenders, SendLimits.UserId);
        errors.Numbers("momentTask.senderDepartmentIds", t.SenderDepartmentIds, SendLimits.MomentDepartments);
        errors.Ids("momentTask.customerTagIds", t.CustomerTagIds, SendLimits.MomentTags, SendLimits.TagId);
    }

    private static void EmployeeMessage(FieldErrors errors, EmployeeMessageRequest m)
    {
        const string path = "employeeMessage";
        errors.Ids($"{path}.toUsers", m.ToUsers, SendLimits.ToUsers, SendLimits.UserId);
        errors.Numbers($"{path}.toParties", m.ToParties, SendLimits.ToParties);
        errors.Numbers($"{path}.toTags", m.ToTags, SendLimits.ToTags);
        var lists = m.ToUsers is not null || m.ToParties is not null || m.ToTags is not null;
        if (m.ToAll == true && lists) errors.Add($"{path}.toAll", "excludes toUsers, toParties and toTags.");
        if (m.ToAll != true && !lists) errors.Add(path, "needs toUsers, toParties, toTags or toAll.");
        if (m.MsgType is not (null or "text" or "markdown")) errors.Add($"{path}.msgType", "must be text or markdown.");
        errors.Required($"{path}.content", m.Content);
        errors.Text($"{path}.content", m.Content, SendLimits.EmployeeTextBytes);
        if (m.DuplicateCheckSeconds is < 1 or > SendLimits.DuplicateCheckSeconds)
            errors.Add($"{path}.duplicateCheckSeconds", $"must be 1–{SendLimits.DuplicateCheckSeconds} seconds.");
    }

    private static void Template(FieldErrors errors, TemplateRequest t)
    {
        errors.Required("template.openId", t.OpenId);
        errors.Id("template.openId", t.OpenId, SendLimits.OpenId);
        errors.Required("template.templateId", t.TemplateId);
        errors.Id("template.templateId", t.TemplateId, SendLimits.TemplateId);
        errors.Url("template.url", t.Url);
        errors.Id("template.miniprogramAppId", t.MiniprogramAppId, SendLimits.UserId);
        errors.Token("template.miniprogramPage", t.MiniprogramPage, SendLimits.MiniprogramPage);
        if (t.MiniprogramAppId is null != (t.MiniprogramPage is null))
            errors.Add("template.miniprogramAppId", "and miniprogramPage go together.");
        if (!errors.Required("template.data", t.Data)) return;
        if (t.Data!.Count is 0 or > SendLimits.TemplateKeywords)
        {
            errors.Add("template.data", $"must have 1–{SendLimits.TemplateKeywords} keywords.");
            return;
        }
        foreach (var (name, value) in t.Data)
        {
            if (name.Length is 0 or > SendLimits.TemplateKeywordName || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                errors.Add("template.data", $"keyword names are 1–{SendLimits.TemplateKeywordName} characters of [A-Za-z0-9_].");
                continue;
            }
            errors.Required($"template.data.{name}", value);
            errors.TextChars($"template.data.{name}", value, SendLimits.TemplateValueChars);
        }
    }

    private static void CustomerService(FieldErrors errors, CustomerServiceRequest m)
    {
        const string path = "customerService";
        errors.Required($"{path}.openId", m.OpenId);
        errors.Id($"{path}.openId", m.OpenId, SendLimits.OpenId);
        errors.Id($"{path}.kfAccount", m.KfAccount, SendLimits.UserId);
        switch (m.MsgType)
        {
            case null or "text":
                errors.Required($"{path}.text", m.Text);
                errors.Text($"{path}.text", m.Text, SendLimits.CustomerServiceTextBytes);
                errors.Absent($"{path}.mediaId", m.MediaId, "is for msgType image.");
                break;
            case "image":
                errors.Required($"{path}.mediaId", m.MediaId);
                errors.Token($"{path}.mediaId", m.MediaId, SendLimits.MediaId);
                errors.Absent($"{path}.text", m.Text, "is for msgType text.");
                break;
            default:
                errors.Add($"{path}.msgType", "must be text or image.");
                break;
        }
    }

    /// <summary>Text and attachments of welcomes and tasks: at least one of them.</summary>
    private static void Content(FieldErrors errors, string path, string? text, List<AttachmentRequest?>? attachments, int maxBytes, string[] types)
    {
        if (string.IsNullOrEmpty(text) && attachments is not { Count: > 0 }) errors.Add(path, "needs text or attachments.");
        errors.Text($"{path}.text", text, maxBytes);
        AttachmentValidation.Check(errors, $"{path}.attachments", attachments, types);
    }
}
