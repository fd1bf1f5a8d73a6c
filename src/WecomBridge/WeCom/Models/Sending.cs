using System.Text.Json.Serialization;

namespace WecomBridge.WeCom.Models;

public sealed record TextContent(string Content);

/// <summary>An attachment of a mass-send task, welcome message or moment: set msgtype and the matching field.</summary>
public sealed record Attachment(
    [property: JsonPropertyName("msgtype")] string MsgType,
    ImageAttachment? Image = null,
    LinkAttachment? Link = null,
    MiniprogramAttachment? Miniprogram = null,
    MediaAttachment? Video = null,
    MediaAttachment? File = null);

public sealed record ImageAttachment(string? MediaId = null, string? PicUrl = null);
public sealed record LinkAttachment(string Title, string Url, [property: JsonPropertyName("picurl")] string? PicUrl = null, string? Desc = null);
public sealed record MiniprogramAttachment(string Title, string PicMediaId, [property: JsonPropertyName("appid")] string AppId, string Page);
public sealed record MediaAttachment(string MediaId);

/// <summary>externalcontact/add_msg_template: creates a task that the sender confirms in the client.</summary>
public sealed record MsgTemplateRequest(
    string? ChatType = null,
    [property: JsonPropertyName("external_userid")] IReadOnlyList<string>? ExternalUserIds = null,
    IReadOnlyList<string>? ChatIdList = null,
    TagFilter? TagFilter = null,
    string? Sender = null,
    bool? AllowSelect = null,
    TextContent? Text = null,
    IReadOnlyList<Attachment>? Attachments = null);

public sealed record TagFilter(IReadOnlyList<TagFilterGroup> GroupList);
public sealed record TagFilterGroup(IReadOnlyList<string> TagList);

public sealed record MsgTemplateResult(List<string>? FailList, [property: JsonPropertyName("msgid")] string MsgId) : ApiResult;

public sealed record GroupMsgSendResultRequest(
    [property: JsonPropertyName("msgid")] string MsgId, [property: JsonPropertyName("userid")] string UserId, int Limit, string? Cursor);

/// <summary>Status 0 unsent, 1 sent, 2 not a friend, 3 already received another mass message (cap).</summary>
public sealed record GroupMsgSendRow(
    [property: JsonPropertyName("external_userid")] string? ExternalUserId,
    string? ChatId,
    [property: JsonPropertyName("userid")] string? UserId,
    int Status,
    long? SendTime = null);

public sealed record GroupMsgSendResultPage(List<GroupMsgSendRow>? SendList, string? NextCursor) : ApiResult;

/// <summary>externalcontact/send_welcome_msg: within 20 s of the add event, once.</summary>
public sealed record WelcomeMessageRequest(string WelcomeCode, TextContent? Text = null, IReadOnlyList<Attachment>? Attachments = null);

/// <summary>message/send (an app message to members). The client fills agentid from the credential.</summary>
public sealed record AppMessageRequest(
    [property: JsonPropertyName("touser")] string? ToUser,
    [property: JsonPropertyName("toparty")] string? ToParty,
    [property: JsonPropertyName("totag")] string? ToTag,
    [property: JsonPropertyName("msgtype")] string MsgType,
    TextContent? Text = null,
    int? Safe = null,
    int? EnableDuplicateCheck = null,
    int? DuplicateCheckInterval = null,
    [property: JsonPropertyName("agentid")] long? AgentId = null,
    TextContent? Markdown = null);

/// <summary>errcode 0 can still list invalid users.</summary>
public sealed record AppMessageResult(
    [property: JsonPropertyName("invaliduser")] string? InvalidUser,
    [property: JsonPropertyName("invalidparty")] string? InvalidParty,
    [property: JsonPropertyName("invalidtag")] string? InvalidTag,
    [property: JsonPropertyName("unlicenseduser")] string? UnlicensedUser,
    [property: JsonPropertyName("msgid")] string? MsgId) : ApiResult;
