using Microsoft.Extensions.Options;
using WecomBridge.Pool;
using WecomBridge.Sending.Api;
using WecomBridge.Sending.Limits;
using WecomBridge.Sending.Status;
using WecomBridge.WeCom;
using WecomBridge.WeCom.Models;

namespace WecomBridge.Journeys.Runtime;

/// <summary>
/// Runs a step's action for one contact. Sends go through <see cref="JourneySender"/>; a customer task due in the corp's
/// quiet hours waits for their end in its durable timer (Defer) rather than in the broker. Tag and untag call WeCom's
/// mark_tag as the member the contact was added by (repeatable: set semantics).
/// </summary>
internal sealed class JourneyActions(JourneySender sender, IServiceProvider services, IOptionsMonitor<SendPolicyOptions> policies)
{
    public async Task<ActionResult> RunAsync(ClaimedStep claimed, JourneyAction action, PoolContact contact, DateTimeOffset now,
        CancellationToken ct)
    {
        var e = claimed.Enrolment;
        var member = e.FollowUser ?? contact.Relations.FirstOrDefault(r => r.DeletedAt is null)?.UserId;
        switch (action.Kind)
        {
            case JourneyActionKinds.CustomerTask:
                if (member is null) return ActionResult.Skip("no member has the contact");
                if (QuietHours.DeferUntil(now, policies.Get(e.Corp)) is { } quietEnd) return new ActionResult(null, null, false, quietEnd);
                return Sent(await sender.SendAsync(new SendMessageRequest(SendKinds.CustomerTask, e.Corp, null, null, null,
                    new CustomerTaskRequest(member, [e.ExternalUserId], null, null, action.Text, Attachments(action)),
                    null, null, null, null, null), JourneySender.KeyOf(claimed)));
            case JourneyActionKinds.EmployeeReminder:
                if (member is null) return ActionResult.Skip("no member has the contact");
                return Sent(await sender.SendAsync(new SendMessageRequest(SendKinds.EmployeeMessage, e.Corp, action.App, null, null, null,
                    null, null, new EmployeeMessageRequest([member], null, null, null, "text", action.Text, null, null), null, null),
                    JourneySender.KeyOf(claimed)));
            case JourneyActionKinds.Template:
                var openId = contact.Followers.FirstOrDefault(f => f.Subscribed
                    && string.Equals(f.Account, action.Account, StringComparison.OrdinalIgnoreCase))?.OpenId;
                if (openId is null) return ActionResult.Skip("no subscribed follower of the account");
                return Sent(await sender.SendAsync(new SendMessageRequest(SendKinds.Template, null, null, action.Account, null, null, null,
                    null, null, new TemplateRequest(openId, action.TemplateId, action.Data?.ToDictionary(d => d.Key, d => (string?)d.Value),
                        action.Url, null, null), null), JourneySender.KeyOf(claimed)));
            case JourneyActionKinds.Tag or JourneyActionKinds.Untag:
                if (member is null) return ActionResult.Skip("no member has the contact");
                var tag = action.Kind == JourneyActionKinds.Tag;
                await services.GetRequiredService<WeComClient>().MarkTagAsync(services.GetRequiredService<WeComCredentials>().Contact(e.Corp),
                    new MarkTagRequest(member, e.ExternalUserId, tag ? [action.TagId!] : null, tag ? null : [action.TagId!]), ct);
                return ActionResult.Taken(null);
            case JourneyActionKinds.Wait:
                return ActionResult.Taken(null);
            default:
                return new ActionResult(null, $"unknown action {action.Kind}", true, null);
        }
    }

    private static ActionResult Sent(SendOutcome outcome) => outcome switch
    {
        { MessageId: { } id } => ActionResult.Taken(id),
        { Invalid: { } reason } => new ActionResult(null, reason, true, null),
        _ => ActionResult.Retry,
    };

    private static List<AttachmentRequest?>? Attachments(JourneyAction action) =>
        action.Attachments is { ValueKind: System.Text.Json.JsonValueKind.Array } a
            ? System.Text.Json.JsonSerializer.Deserialize<List<AttachmentRequest?>>(a, SendBody.Json)
            : null;
}

/// <summary>
/// Taken (MessageId of its send, if any); Skipped (Reason, not Failed); Failed (Reason, Failed: it can never succeed);
/// DeferUntil (try again then, not an attempt); none of them: Retry (a failure that counts as an attempt).
/// </summary>
internal sealed record ActionResult(string? MessageId, string? Reason, bool Failed, DateTimeOffset? DeferUntil, bool Done = true)
{
    public static readonly ActionResult Retry = new(null, null, false, null, Done: false);

    public static ActionResult Taken(string? messageId) => new(messageId, null, false, null);

    public static ActionResult Skip(string reason) => new(null, reason, false, null);
}
