using System.Text.Json;
using WecomBridge.Api;
using WecomBridge.Pool;
using WecomBridge.Sending.Api;

namespace WecomBridge.Journeys.Definitions;

/// <summary>
/// What a step does. Texts, attachments and template data are held to the send API's limits for the same kind of
/// message (they become such a message when the step runs), checked by the same code.
/// </summary>
internal sealed partial class JourneyReader
{
    private static readonly Dictionary<string, string[]> ActionFields = new(StringComparer.Ordinal)
    {
        [JourneyActionKinds.CustomerTask] = ["text", "attachments"],
        [JourneyActionKinds.EmployeeReminder] = ["app", "text"],
        [JourneyActionKinds.Template] = ["account", "templateId", "data", "url"],
        [JourneyActionKinds.Tag] = ["tagId"],
        [JourneyActionKinds.Untag] = ["tagId"],
        [JourneyActionKinds.Wait] = ["eventKind", "timeout"],
    };

    private static readonly string[] AttachmentFields = ["type", "mediaId", "picUrl", "title", "url", "description", "appId", "page"];

    private JourneyAction? Action(JsonElement value, string path)
    {
        if (Kind(value, path, ActionFields, "an action") is not var (kind, f)) return null;
        return kind switch
        {
            JourneyActionKinds.CustomerTask => CustomerTask(f, path),
            JourneyActionKinds.EmployeeReminder => EmployeeReminder(f, path),
            JourneyActionKinds.Template => Template(f, path),
            JourneyActionKinds.Wait => Wait(f, path),
            _ => new JourneyAction(kind, TagId: TagId(f, path, required: true)),
        };
    }

    private JourneyAction CustomerTask(Dictionary<string, JsonElement> f, string path)
    {
        var text = String(f, "text", path);
        _errors.Text(At(path, "text"), text, SendLimits.TaskTextBytes);
        JsonElement? attachments = f.TryGetValue("attachments", out var a) && a.ValueKind != JsonValueKind.Null ? a.Clone() : null;
        var list = attachments is { } given ? Attachments(given, At(path, "attachments")) : null;
        if (list is not null) AttachmentValidation.Check(_errors, At(path, "attachments"), list, AttachmentValidation.TaskTypes);
        if (string.IsNullOrEmpty(text) && list is not { Count: > 0 }) Error(path, "needs text or attachments.");
        return new JourneyAction(JourneyActionKinds.CustomerTask, Text: text, Attachments: attachments);
    }

    private JourneyAction EmployeeReminder(Dictionary<string, JsonElement> f, string path)
    {
        var app = String(f, "app", path, required: true);
        if (app is not null) _errors.Id(At(path, "app"), app, SendLimits.UserId);
        var text = String(f, "text", path, required: true);
        _errors.Text(At(path, "text"), text, SendLimits.EmployeeTextBytes);
        return new JourneyAction(JourneyActionKinds.EmployeeReminder, Text: text, App: app);
    }

    private JourneyAction Template(Dictionary<string, JsonElement> f, string path)
    {
        var account = String(f, "account", path, required: true);
        if (account is not null && !WeComIdAttribute.IsValid(account, PoolApi.IdLength))
            Error(At(path, "account"), "must be the name of an Official Account: ASCII letters, digits and _-.@.");
        var templateId = String(f, "templateId", path, required: true);
        if (templateId is not null) _errors.Id(At(path, "templateId"), templateId, SendLimits.TemplateId);
        var url = String(f, "url", path);
        _errors.Url(At(path, "url"), url);
        var data = f.TryGetValue("data", out var d) && d.ValueKind != JsonValueKind.Null ? Data(d, At(path, "data"))
            : Required<Dictionary<string, string>>(At(path, "data"));
        return new JourneyAction(JourneyActionKinds.Template, Account: account, TemplateId: templateId, Data: data, Url: url);
    }

    /// <summary>Template keywords: 1–20 names of [A-Za-z0-9_], each value text of at most 20 characters (as the send API takes).</summary>
    private Dictionary<string, string>? Data(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Object || value.EnumerateObject().Count() is 0 or > SendLimits.TemplateKeywords)
        {
            Error(path, $"must be an object of 1–{SendLimits.TemplateKeywords} keywords.");
            return null;
        }
        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in value.EnumerateObject())
        {
            var at = At(path, Safe(p.Name));
            if (p.Name.Length is 0 or > SendLimits.TemplateKeywordName || !p.Name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
                Error(at, $"keyword names are 1–{SendLimits.TemplateKeywordName} characters of [A-Za-z0-9_].");
            else if (data.ContainsKey(p.Name)) Error(at, "repeats a keyword.");
            else if (String(new() { [p.Name] = p.Value }, p.Name, path, required: true) is { } text)
            {
                _errors.TextChars(at, text, SendLimits.TemplateValueChars);
                data[p.Name] = text;
            }
        }
        return data;
    }

    private JourneyAction Wait(Dictionary<string, JsonElement> f, string path)
    {
        var kind = String(f, "eventKind", path, required: true);
        if (kind is not null && (kind.Length > JourneyLimits.EventKindLength || !char.IsAsciiLetterLower(kind[0])
            || !kind.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '-' or '.')))
            Error(At(path, "eventKind"), $"must be an interaction kind: 1–{JourneyLimits.EventKindLength} lowercase ASCII letters, "
                + "digits and _-., starting with a letter (any: any interaction).");
        var timeout = Duration(String(f, "timeout", path, required: true), At(path, "timeout"), positive: true);
        return new JourneyAction(JourneyActionKinds.Wait, EventKind: kind, Timeout: timeout);
    }

    /// <summary>Attachment objects as the send API takes them (only its fields, strings); not an object: null, which it refuses.</summary>
    private List<AttachmentRequest?>? Attachments(JsonElement value, string path)
    {
        if (!Array(value, path, 0, SendLimits.Attachments)) return null;
        var list = new List<AttachmentRequest?>();
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            var at = $"{path}[{i++}]";
            if (item.ValueKind != JsonValueKind.Object) list.Add(null);
            else if (Fields(item, at, AttachmentFields, "an attachment") is { } a)
                list.Add(new AttachmentRequest(String(a, "type", at), String(a, "mediaId", at), String(a, "picUrl", at),
                    String(a, "title", at), String(a, "url", at), String(a, "description", at), String(a, "appId", at), String(a, "page", at)));
        }
        return list.Count == i ? list : null;
    }
}
