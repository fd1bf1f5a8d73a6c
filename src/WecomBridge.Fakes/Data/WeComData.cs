using System.Text.Json.Serialization;

namespace WecomBridge.Fakes.Data;

/// <summary>The live state of the WeCom fake. Tests may change it between calls (not during one).</summary>
public sealed class WeComData
{
    [JsonPropertyName("corpid")] public string CorpId { get; set; } = "wwfakecorp";
    /// <summary>Secrets accepted by gettoken (contact secret, app secrets).</summary>
    [JsonPropertyName("secrets")] public List<string> Secrets { get; set; } = [];
    [JsonPropertyName("employees")] public List<Employee> Employees { get; set; } = [];
    [JsonPropertyName("external_contacts")] public List<ExternalContact> ExternalContacts { get; set; } = [];
    [JsonPropertyName("group_chats")] public List<GroupChat> GroupChats { get; set; } = [];
    [JsonPropertyName("tag_groups")] public List<TagGroup> TagGroups { get; set; } = [];
    [JsonPropertyName("moments")] public List<Moment> Moments { get; set; } = [];

    // State the fake creates; tests read (and may change) it.
    [JsonPropertyName("msg_templates")] public List<MsgTemplate> MsgTemplates { get; set; } = [];
    [JsonPropertyName("welcome_codes")] public List<WelcomeCode> WelcomeCodes { get; set; } = [];
    [JsonPropertyName("sent_welcome_messages")] public List<SentMessage> SentWelcomeMessages { get; set; } = [];
    [JsonPropertyName("sent_app_messages")] public List<SentMessage> SentAppMessages { get; set; } = [];
    [JsonPropertyName("moment_jobs")] public List<MomentJob> MomentJobs { get; set; } = [];

    public Employee? Employee(string? userId) => Employees.Find(e => e.UserId == userId);
    public ExternalContact? Contact(string? externalUserId) => ExternalContacts.Find(c => c.ExternalUserId == externalUserId);
    public GroupChat? Chat(string? chatId) => GroupChats.Find(c => c.ChatId == chatId);
    public Moment? FindMoment(string? momentId) => Moments.Find(m => m.MomentId == momentId);

    public (TagGroup Group, CorpTag Tag)? FindTag(string tagId)
    {
        foreach (var group in TagGroups)
            foreach (var tag in group.Tags)
                if (tag.Id == tagId) return (group, tag);
        return null;
    }
}

public sealed class Employee
{
    [JsonPropertyName("userid")] public string UserId { get; set; } = "";
    [JsonPropertyName("name")] public string Name { get; set; } = "";
}

public sealed class ExternalContact
{
    [JsonPropertyName("external_userid")] public string ExternalUserId { get; set; } = "";
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("type")] public int Type { get; set; } = 1;
    [JsonPropertyName("unionid")] public string? UnionId { get; set; }
    [JsonPropertyName("follow_user")] public List<FollowUser> FollowUsers { get; set; } = [];
}

public sealed class FollowUser
{
    [JsonPropertyName("userid")] public string UserId { get; set; } = "";
    [JsonPropertyName("remark")] public string Remark { get; set; } = "";
    [JsonPropertyName("description")] public string Description { get; set; } = "";
    [JsonPropertyName("createtime")] public long CreateTime { get; set; }
    [JsonPropertyName("add_way")] public int AddWay { get; set; }
    [JsonPropertyName("oper_userid")] public string? OperUserId { get; set; }
    [JsonPropertyName("state")] public string? State { get; set; }
    /// <summary>Corp tag ids; the API answer expands them into tags[{group_name, tag_name, tag_id, type}].</summary>
    [JsonPropertyName("tag_ids")] public List<string> TagIds { get; set; } = [];
}

public sealed class TagGroup
{
    [JsonPropertyName("group_id")] public string GroupId { get; set; } = "";
    [JsonPropertyName("group_name")] public string GroupName { get; set; } = "";
    [JsonPropertyName("create_time")] public long CreateTime { get; set; }
    [JsonPropertyName("order")] public int Order { get; set; }
    [JsonPropertyName("deleted")] public bool Deleted { get; set; }
    [JsonPropertyName("tag")] public List<CorpTag> Tags { get; set; } = [];
}

public sealed class CorpTag
{
    [JsonPropertyName("id")] public string Id { get; set; } = "";
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("create_time")] public long CreateTime { get; set; }
    [JsonPropertyName("order")] public int Order { get; set; }
    [JsonPropertyName("deleted")] public bool Deleted { get; set; }
}
