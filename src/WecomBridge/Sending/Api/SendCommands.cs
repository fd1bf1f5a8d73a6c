using WecomBridge.Contracts.Sending;
using WecomBridge.Sending.Status;

namespace WecomBridge.Sending.Api;

/// <summary>A validated request as its command: <see cref="WelcomeRequested"/> for welcomes, else <see cref="SendRequested"/>.</summary>
internal static class SendCommands
{
    /// <summary>WeCom accepts a welcome code within 20 s of its event, once (docs/wecom-protocol.md §5).</summary>
    public static readonly TimeSpan WelcomeLife = TimeSpan.FromSeconds(20);

    public static object For(string messageId, SendMessageRequest r, DateTimeOffset requestedAt, DateTimeOffset? notAfter = null) =>
        r.Kind == SendKinds.Welcome
        ? new WelcomeRequested(messageId, r.Corp!, r.App!, requestedAt, requestedAt + WelcomeLife,
            new WelcomeMessage(r.Welcome!.WelcomeCode!, r.Welcome.Text, Attachments(r.Welcome.Attachments)))
        : new SendRequested(messageId, r.Kind!, r.Corp, r.App, r.Account, requestedAt,
            CustomerTask: r.CustomerTask is { } c ? new CustomerTask(c.Sender, Ids(c.ExternalUserIds),
                c.TagFilter?.Select(g => (IReadOnlyList<string>)Ids(g)!).ToList(), c.AllowSelect, c.Text, Attachments(c.Attachments),
                c.Audience is { } a ? new CustomerAudience(a.Segment, a.Filter) : null) : null,
            GroupTask: r.GroupTask is { } g ? new GroupTask(g.Sender!, Ids(g.ChatIds), g.Text, Attachments(g.Attachments)) : null,
            MomentTask: r.MomentTask is { } m ? new MomentTask(m.Text, Attachments(m.Attachments), Ids(m.SenderUserIds),
                Numbers(m.SenderDepartmentIds), Ids(m.CustomerTagIds)) : null,
            EmployeeMessage: r.EmployeeMessage is { } e ? new EmployeeMessage(Ids(e.ToUsers), Numbers(e.ToParties), Numbers(e.ToTags),
                e.ToAll ?? false, e.MsgType ?? "text", e.Content!, e.Safe ?? false, e.DuplicateCheckSeconds) : null,
            Template: r.Template is { } t ? new TemplateMessage(t.OpenId!, t.TemplateId!,
                t.Data!.ToDictionary(d => d.Key, d => d.Value!, StringComparer.Ordinal), t.Url, t.MiniprogramAppId, t.MiniprogramPage) : null,
            CustomerService: r.CustomerService is { } s
                ? new CustomerServiceMessage(s.OpenId!, s.MsgType ?? "text", s.Text, s.MediaId, s.KfAccount) : null,
            NotAfter: notAfter);

    private static List<string>? Ids(List<string?>? ids) => ids?.Select(id => id!).ToList();

    private static List<long>? Numbers(List<long?>? ids) => ids?.Select(id => id!.Value).ToList();

    private static List<SendAttachment>? Attachments(List<AttachmentRequest?>? attachments) => attachments?
        .Select(a => new SendAttachment(a!.Type!, a.MediaId, a.PicUrl, a.Title, a.Url, a.Description, a.AppId, a.Page)).ToList();
}
