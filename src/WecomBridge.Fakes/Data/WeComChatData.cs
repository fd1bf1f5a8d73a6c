using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace WecomBridge.Fakes.Data;

public sealed class GroupChat
{
    [JsonPropertyName("chat_id")] public string ChatId { get; set; } = "";
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("owner")] public string Owner { get; set; } = "";
    [JsonPropertyName("create_time")] public long CreateTime { get; set; }
    [JsonPropertyName("notice")] public string Notice { get; set; } = "";
    /// <summary>0 normal, 1 owner resigned, 2 transferring, 3 transferred (groupchat/list status).</summary>
    [JsonPropertyName("status")] public int Status { get; set; }
    [JsonPropertyName("member_version")] public string MemberVersion { get; set; } = "";
    [JsonPropertyName("member_list")] public List<GroupMember> Members { get; set; } = [];
    [JsonPropertyName("admin_list")] public List<GroupAdmin> Admins { get; set; } = [];
}

public sealed class GroupMember
{
    [JsonPropertyName("userid")] public string UserId { get; set; } = "";
    /// <summary>1 employee, 2 external contact.</summary>
    [JsonPropertyName("type")] public int Type { get; set; } = 1;
    [JsonPropertyName("unionid")] public string? UnionId { get; set; }
    [JsonPropertyName("join_time")] public long JoinTime { get; set; }
    /// <summary>1 invited directly, 2 invited by link, 3 QR scan.</summary>
    [JsonPropertyName("join_scene")] public int JoinScene { get; set; } = 1;
    [JsonPropertyName("invitor")] public Invitor? Invitor { get; set; }
    [JsonPropertyName("group_nickname")] public string GroupNickname { get; set; } = "";
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("state")] public string? State { get; set; }
}

public sealed class Invitor
{
    [JsonPropertyName("userid")] public string UserId { get; set; } = "";
}

public sealed class GroupAdmin
{
    [JsonPropertyName("userid")] public string UserId { get; set; } = "";
}

public sealed class Moment
{
    [JsonPropertyName("moment_id")] public string MomentId { get; set; } = "";
    [JsonPropertyName("creator")] public string Creator { get; set; } = "";
    [JsonPropertyName("create_time")] public long CreateTime { get; set; }
    /// <summary>0 by the corp, 1 by a member.</summary>
    [JsonPropertyName("create_type")] public int CreateType { get; set; }
    [JsonPropertyName("visible_type")] public int VisibleType { get; set; }
    [JsonPropertyName("text")] public MomentText Text { get; set; } = new();
    /// <summary>Members asked to publish, with publish_status 0 (not yet) or 1 (published).</summary>
    [JsonPropertyName("task_list")] public List<MomentTask> Tasks { get; set; } = [];
    [JsonPropertyName("comment_list")] public List<MomentReaction> Comments { get; set; } = [];
    [JsonPropertyName("like_list")] public List<MomentReaction> Likes { get; set; } = [];
}

public sealed class MomentText
{
    [JsonPropertyName("content")] public string Content { get; set; } = "";
}

public sealed class MomentTask
{
    [JsonPropertyName("userid")] public string UserId { get; set; } = "";
    [JsonPropertyName("publish_status")] public int PublishStatus { get; set; }
}

/// <summary>A comment or like under a moment, by a customer (external_userid) or a member (userid).</summary>
public sealed class MomentReaction
{
    [JsonPropertyName("external_userid")] public string? ExternalUserId { get; set; }
    [JsonPropertyName("userid")] public string? UserId { get; set; }
    [JsonPropertyName("create_time")] public long CreateTime { get; set; }
    /// <summary>The employee whose moment copy it was left under (get_moment_comments userid filter).</summary>
    [JsonPropertyName("owner_userid")] public string OwnerUserId { get; set; } = "";
}

public sealed class MomentJob
{
    [JsonPropertyName("jobid")] public string JobId { get; set; } = "";
    [JsonPropertyName("moment_id")] public string MomentId { get; set; } = "";
    [JsonPropertyName("invalid_sender_list")] public List<string> InvalidSenders { get; set; } = [];
}

/// <summary>A customer mass-send task from add_msg_template; Results hold one row per recipient.</summary>
public sealed class MsgTemplate
{
    [JsonPropertyName("msgid")] public string MsgId { get; set; } = "";
    [JsonPropertyName("chat_type")] public string ChatType { get; set; } = "single";
    [JsonPropertyName("sender")] public string? Sender { get; set; }
    [JsonPropertyName("request")] public JsonObject Request { get; set; } = [];
    [JsonPropertyName("send_list")] public List<SendResult> Results { get; set; } = [];
}

public sealed class SendResult
{
    [JsonPropertyName("external_userid")] public string? ExternalUserId { get; set; }
    [JsonPropertyName("chat_id")] public string? ChatId { get; set; }
    [JsonPropertyName("userid")] public string UserId { get; set; } = "";
    /// <summary>0 unsent, 1 sent, 2 not a friend, 3 already received another mass message.</summary>
    [JsonPropertyName("status")] public int Status { get; set; }
    [JsonPropertyName("send_time")] public long? SendTime { get; set; }
}

public sealed class WelcomeCode
{
    [JsonPropertyName("code")] public string Code { get; set; } = "";
    [JsonPropertyName("userid")] public string UserId { get; set; } = "";
    [JsonPropertyName("external_userid")] public string ExternalUserId { get; set; } = "";
    [JsonPropertyName("issued_at")] public DateTimeOffset IssuedAt { get; set; }
    [JsonPropertyName("used")] public bool Used { get; set; }
}

/// <summary>A message the fake accepted (welcome, app message, OA template or customer-service message).</summary>
public sealed record SentMessage(string To, JsonObject Request, DateTimeOffset At, string? MsgId = null);
