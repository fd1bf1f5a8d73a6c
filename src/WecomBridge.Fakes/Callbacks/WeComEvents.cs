namespace WecomBridge.Fakes.Callbacks;

/// <summary>
/// Plaintext XML of WeCom callbacks for a self-built app (docs/wecom-protocol.md §3): the envelope ToUserName = CorpID,
/// FromUserName = sys, CreateTime, MsgType = event, Event, ChangeType, then the family's fields.
/// </summary>
public static class WeComEvents
{
    /// <summary>
    /// change_external_contact: add_external_contact, edit_external_contact, add_half_external_contact,
    /// del_external_contact (Source), del_follow_user, transfer_fail (FailReason), msg_audit_approved (WelcomeCode).
    /// </summary>
    public static string ExternalContact(
        string corpId, string changeType, string userId, string externalUserId, string? state = null,
        string? welcomeCode = null, string? source = null, string? failReason = null, long? createTime = null) =>
        EventXml.Build(Envelope(corpId, "change_external_contact", createTime)
            .Append(("ChangeType", changeType)).Append(("UserID", userId)).Append(("ExternalUserID", externalUserId))
            .Append(("State", state)).Append(("WelcomeCode", welcomeCode)).Append(("Source", source))
            .Append(("FailReason", failReason)).ToArray());

    /// <summary>
    /// change_external_chat: create, update (UpdateDetail add_member, del_member, change_owner, change_name,
    /// change_notice; JoinScene 0/3, QuitScene 0/1, MemChangeCnt, MemChangeList, LastMemVer, CurMemVer), dismiss.
    /// </summary>
    public static string ExternalChat(
        string corpId, string changeType, string chatId, string? updateDetail = null, int? joinScene = null,
        int? quitScene = null, IReadOnlyList<string>? members = null, string? lastMemVer = null, string? curMemVer = null,
        long? createTime = null) =>
        EventXml.Build(Envelope(corpId, "change_external_chat", createTime)
            .Append(("ChatId", chatId)).Append(("ChangeType", changeType)).Append(("UpdateDetail", updateDetail))
            .Append(("JoinScene", joinScene)).Append(("QuitScene", quitScene)).Append(("MemChangeCnt", members?.Count))
            .Append(("MemChangeList", members)).Append(("LastMemVer", lastMemVer)).Append(("CurMemVer", curMemVer)).ToArray());

    /// <summary>change_external_tag: create, update, delete (Id + TagType tag|tag_group) and shuffle (Id + StrategyId).</summary>
    public static string ExternalTag(
        string corpId, string changeType, string id, string? tagType = "tag", string? strategyId = null, long? createTime = null) =>
        EventXml.Build(Envelope(corpId, "change_external_tag", createTime)
            .Append(("Id", id)).Append(("TagType", changeType == "shuffle" ? null : tagType))
            .Append(("StrategyId", strategyId)).Append(("ChangeType", changeType)).ToArray());

    /// <summary>
    /// change_contact: create_user, update_user, delete_user, create_party, update_party, delete_party, update_tag,
    /// with the given fields (e.g. ("UserID", "zhangsan"), ("Name", "Zhang San"), ("Department", "1,2")).
    /// </summary>
    public static string Contact(string corpId, string changeType, IEnumerable<(string Name, string Value)> fields, long? createTime = null) =>
        EventXml.Build(Envelope(corpId, "change_contact", createTime)
            .Append(("ChangeType", changeType)).Concat(fields.Select(f => (f.Name, (object?)f.Value))).ToArray());

    /// <summary>A text message a member sent to the app.</summary>
    public static string Text(string corpId, string fromUser, string content, string msgId, string agentId = "1000002", long? createTime = null) =>
        EventXml.Build(
            ("ToUserName", corpId), ("FromUserName", fromUser), ("CreateTime", createTime ?? EventXml.Now(null)),
            ("MsgType", "text"), ("Content", content), ("MsgId", msgId), ("AgentID", agentId));

    private static IEnumerable<(string, object?)> Envelope(string corpId, string evt, long? createTime) =>
    [
        ("ToUserName", corpId), ("FromUserName", "sys"), ("CreateTime", createTime ?? EventXml.Now(null)),
        ("MsgType", "event"), ("Event", evt),
    ];
}
