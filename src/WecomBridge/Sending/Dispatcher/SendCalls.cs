using WecomBridge.Contracts.Sending;
using WecomBridge.OfficialAccount;
using WecomBridge.Sending.Status;
using WecomBridge.WeCom;
using WecomBridge.WeCom.Models;

namespace WecomBridge.Sending.Dispatcher;

/// <summary>What an API accepted: its id for the message (if any) and the recipients it listed as failed or invalid.</summary>
internal sealed record CallResult(string? MsgId, IReadOnlyList<string> FailedRecipients);

/// <summary>One send kind → its WeCom or Official Account call, through the typed clients (and their Polly pipelines).</summary>
internal sealed class SendCalls(WeComClient wecom, OfficialAccountClient oa, WeComCredentials corps, OfficialAccountCredentials accounts)
{
    /// <summary>Default interval of message/send's duplicate check: repeats of the same content to the same members are dropped by WeCom.</summary>
    public const int DuplicateCheckSeconds = 1800;

    /// <summary>The API path a kind calls (also its rate-limit bucket).</summary>
    public static string ApiOf(string kind) => kind switch
    {
        SendKinds.CustomerTask or SendKinds.GroupTask => "externalcontact/add_msg_template",
        SendKinds.MomentTask => "externalcontact/add_moment_task",
        SendKinds.EmployeeMessage => "message/send",
        SendKinds.Template => "message/template/send",
        SendKinds.CustomerService => "message/custom/send",
        SendKinds.Welcome => "externalcontact/send_welcome_msg",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown send kind"),
    };

    /// <summary>How long WeChat drops a template message repeating a client_msg_id (docs/wecom-protocol.md §5).</summary>
    public static readonly TimeSpan TemplateDedupe = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan MaxClockMargin = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether WeCom drops a repeat itself, so that a send whose outcome is unknown may be made again: template
    /// messages carry client_msg_id (= the message id), app messages enable the duplicate check.
    /// </summary>
    public static bool IsRepeatable(SendRequested send) => RepeatWindow(send) is not null;

    /// <summary>
    /// How long after the start of a call whose outcome is unknown a repeat may still start: WeCom's dedupe window
    /// (template: 10 min; app message: its duplicate_check_interval) less a tenth, at most 30 s, for the clocks of
    /// the instances (the window is counted on the clock of whichever instance repeats). Null: never repeated.
    /// </summary>
    public static TimeSpan? RepeatWindow(SendRequested send)
    {
        var window = send.Kind switch
        {
            SendKinds.Template => TemplateDedupe,
            SendKinds.EmployeeMessage => TimeSpan.FromSeconds(send.EmployeeMessage?.DuplicateCheckSeconds ?? DuplicateCheckSeconds),
            _ => TimeSpan.Zero,
        };
        var margin = window / 10 < MaxClockMargin ? window / 10 : MaxClockMargin;
        return window > TimeSpan.Zero ? window - margin : null;
    }

    /// <summary>The path of a kind's call as the clients name it (the one <see cref="WecomBridge.WeCom.CallGate"/> watches).</summary>
    public static string PathOf(string kind) => "/cgi-bin/" + ApiOf(kind);

    public async Task<CallResult> CallAsync(SendRequested send, CancellationToken ct)
    {
        switch (send.Kind)
        {
            case SendKinds.CustomerTask:
            {
                var task = send.CustomerTask!;
                var result = await wecom.AddMsgTemplateAsync(corps.Contact(send.Corp!), new MsgTemplateRequest("single",
                    NonEmpty(task.ExternalUserIds), null,
                    task.TagFilter is { Count: > 0 } groups ? new TagFilter(groups.Select(g => new TagFilterGroup(g)).ToArray()) : null,
                    task.Sender, task.AllowSelect, Text(task.Text), Attachments(task.Attachments)), ct);
                return new CallResult(result.MsgId, result.FailList ?? []);
            }
            case SendKinds.GroupTask:
            {
                var task = send.GroupTask!;
                var result = await wecom.AddMsgTemplateAsync(corps.Contact(send.Corp!), new MsgTemplateRequest("group", null,
                    NonEmpty(task.ChatIds), null, task.Sender, null, Text(task.Text), Attachments(task.Attachments)), ct);
                return new CallResult(result.MsgId, result.FailList ?? []);
            }
            case SendKinds.MomentTask:
            {
                var task = send.MomentTask!;
                var senders = task.SenderUserIds is { Count: > 0 } || task.SenderDepartmentIds is { Count: > 0 }
                    ? new MomentSenders(NonEmpty(task.SenderUserIds), task.SenderDepartmentIds is { Count: > 0 } d ? d : null) : null;
                var customers = task.CustomerTagIds is { Count: > 0 } tags ? new MomentCustomers(tags) : null;
                var range = senders is null && customers is null ? null : new MomentVisibleRange(senders, customers);
                var jobId = await wecom.AddMomentTaskAsync(corps.Contact(send.Corp!),
                    new MomentTaskRequest(Text(task.Text), Attachments(task.Attachments), range), ct);
                return new CallResult(jobId, []);
            }
            case SendKinds.EmployeeMessage:
            {
                var message = send.EmployeeMessage!;
                var content = new TextContent(message.Content);
                var result = await wecom.SendAppMessageAsync(corps.App(send.Corp!, send.App!), new AppMessageRequest(
                    message.ToAll ? "@all" : Join(message.ToUsers), Join(message.ToParties), Join(message.ToTags), message.MsgType,
                    Text: message.MsgType == "text" ? content : null, Safe: message.Safe ? 1 : 0, EnableDuplicateCheck: 1,
                    DuplicateCheckInterval: message.DuplicateCheckSeconds ?? DuplicateCheckSeconds,
                    Markdown: message.MsgType == "markdown" ? content : null), ct);
                return new CallResult(result.MsgId, Split(result.InvalidUser, result.InvalidParty, result.InvalidTag, result.UnlicensedUser));
            }
            case SendKinds.Template:
            {
                var template = send.Template!;
                var msgId = await oa.SendTemplateMessageAsync(accounts.For(send.Account!), new TemplateMessageRequest(template.OpenId,
                    template.TemplateId, template.Data.ToDictionary(d => d.Key, d => new TemplateValue(d.Value)), template.Url,
                    template.MiniprogramAppId is { } appId ? new TemplateMiniprogram(appId, template.MiniprogramPage) : null,
                    ClientMsgId: send.MessageId), ct);
                return new CallResult(msgId.ToString(System.Globalization.CultureInfo.InvariantCulture), []);
            }
            case SendKinds.CustomerService:
            {
                var message = send.CustomerService!;
                await oa.SendCustomMessageAsync(accounts.For(send.Account!), new CustomMessageRequest(message.OpenId, message.MsgType,
                    message.Text is { } text ? new CustomText(text) : null, message.MediaId is { } media ? new CustomMedia(media) : null,
                    message.KfAccount is { } kf ? new CustomService(kf) : null), ct);
                return new CallResult(null, []);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(send), send.Kind, "unknown send kind");
        }
    }

    public static TextContent? Text(string? text) => string.IsNullOrEmpty(text) ? null : new TextContent(text);

    public static IReadOnlyList<Attachment>? Attachments(IReadOnlyList<SendAttachment>? attachments) =>
        attachments is { Count: > 0 } ? attachments.Select(Attachment).ToArray() : null;

    private static Attachment Attachment(SendAttachment a) => a.Type switch
    {
        "image" => new Attachment("image", Image: new ImageAttachment(a.MediaId, a.PicUrl)),
        "link" => new Attachment("link", Link: new LinkAttachment(a.Title ?? "", a.Url ?? "", a.PicUrl, a.Description)),
        "miniprogram" => new Attachment("miniprogram",
            Miniprogram: new MiniprogramAttachment(a.Title ?? "", a.MediaId ?? "", a.AppId ?? "", a.Page ?? "")),
        "video" => new Attachment("video", Video: new MediaAttachment(a.MediaId ?? "")),
        "file" => new Attachment("file", File: new MediaAttachment(a.MediaId ?? "")),
        _ => throw new ArgumentOutOfRangeException(nameof(a), a.Type, "unknown attachment type"),
    };

    private static IReadOnlyList<T>? NonEmpty<T>(IReadOnlyList<T>? list) => list is { Count: > 0 } ? list : null;

    private static string? Join<T>(IReadOnlyList<T>? ids) => ids is { Count: > 0 } ? string.Join('|', ids) : null;

    private static IReadOnlyList<string> Split(params string?[] lists) =>
        lists.SelectMany(l => (l ?? "").Split('|', StringSplitOptions.RemoveEmptyEntries)).ToArray();
}
