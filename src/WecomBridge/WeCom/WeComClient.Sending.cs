using WecomBridge.WeCom.Models;

namespace WecomBridge.WeCom;

internal sealed partial class WeComClient
{
    /// <summary>externalcontact/add_msg_template: creates a mass-send task (not repeated when its outcome is unknown).</summary>
    public Task<MsgTemplateResult> AddMsgTemplateAsync(WeComCredential who, MsgTemplateRequest request, CancellationToken ct = default) =>
        PostAsync(who, "externalcontact/add_msg_template", request, Json.MsgTemplateRequest, Json.MsgTemplateResult, creates: true, ct);

    /// <summary>externalcontact/get_groupmsg_send_result: one page of a sender's results for a task.</summary>
    public Task<GroupMsgSendResultPage> GetGroupMsgSendResultPageAsync(
        WeComCredential who, string msgId, string userId, string? cursor, int limit = 1000, CancellationToken ct = default) =>
        PostAsync(who, "externalcontact/get_groupmsg_send_result", new GroupMsgSendResultRequest(msgId, userId, limit, cursor),
            Json.GroupMsgSendResultRequest, Json.GroupMsgSendResultPage, creates: false, ct);

    /// <summary>Every send result of a sender for a task, page by page.</summary>
    public IAsyncEnumerable<GroupMsgSendRow> GetGroupMsgSendResultAsync(
        WeComCredential who, string msgId, string userId, int pageSize = 1000, CancellationToken ct = default) =>
        CursorPages.ReadAllAsync((cursor, c) => GetGroupMsgSendResultPageAsync(who, msgId, userId, cursor, pageSize, c),
            page => page.SendList, page => page.NextCursor, ct);

    /// <summary>
    /// externalcontact/send_welcome_msg: once per welcome code, within 20 s (not repeated when its outcome is unknown); no
    /// attempt starts after <paramref name="deadline"/>.
    /// </summary>
    public Task SendWelcomeMessageAsync(WeComCredential who, WelcomeMessageRequest request, CancellationToken ct = default,
        CallDeadline? deadline = null) =>
        PostAsync(who, "externalcontact/send_welcome_msg", request, Json.WelcomeMessageRequest, Json.ApiOk, creates: true, ct, deadline);

    /// <summary>message/send from the credential's app (its agent id is filled in); not repeated when its outcome is unknown.</summary>
    public Task<AppMessageResult> SendAppMessageAsync(WeComCredential who, AppMessageRequest request, CancellationToken ct = default)
    {
        var agentId = request.AgentId ?? (long.TryParse(who.AgentId, out var id) ? id
            : throw new ArgumentException("message/send needs an app credential with an AgentId", nameof(who)));
        return PostAsync(who, "message/send", request with { AgentId = agentId }, Json.AppMessageRequest, Json.AppMessageResult, creates: true, ct);
    }
}
