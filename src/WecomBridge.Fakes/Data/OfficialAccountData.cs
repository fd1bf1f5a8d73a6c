using System.Text.Json.Serialization;

namespace WecomBridge.Fakes.Data;

/// <summary>The live state of the Official Account fake. Tests may change it between calls.</summary>
public sealed class OfficialAccountData
{
    [JsonPropertyName("appid")] public string AppId { get; set; } = "wxfakeapp";
    [JsonPropertyName("secret")] public string Secret { get; set; } = "";
    [JsonPropertyName("template_ids")] public List<string> TemplateIds { get; set; } = [];
    [JsonPropertyName("tags")] public List<OaTag> Tags { get; set; } = [];
    [JsonPropertyName("followers")] public List<Follower> Followers { get; set; } = [];

    // State the fake creates.
    [JsonPropertyName("sent_template_messages")] public List<SentMessage> SentTemplateMessages { get; set; } = [];
    [JsonPropertyName("sent_custom_messages")] public List<SentMessage> SentCustomMessages { get; set; } = [];

    public Follower? Follower(string? openId) => Followers.Find(f => f.OpenId == openId);
}

public sealed class OaTag
{
    [JsonPropertyName("id")] public int Id { get; set; }
    [JsonPropertyName("name")] public string Name { get; set; } = "";
}

public sealed class Follower
{
    [JsonPropertyName("openid")] public string OpenId { get; set; } = "";
    [JsonPropertyName("unionid")] public string? UnionId { get; set; }
    /// <summary>1 following, 0 unsubscribed.</summary>
    [JsonPropertyName("subscribe")] public int Subscribe { get; set; } = 1;
    [JsonPropertyName("subscribe_time")] public long SubscribeTime { get; set; }
    [JsonPropertyName("subscribe_scene")] public string SubscribeScene { get; set; } = "ADD_SCENE_SEARCH";
    [JsonPropertyName("qr_scene")] public int QrScene { get; set; }
    [JsonPropertyName("qr_scene_str")] public string QrSceneStr { get; set; } = "";
    [JsonPropertyName("language")] public string Language { get; set; } = "zh_CN";
    [JsonPropertyName("remark")] public string Remark { get; set; } = "";
    [JsonPropertyName("tagid_list")] public List<int> TagIds { get; set; } = [];
    /// <summary>When the follower last messaged the account: opens the 48-hour customer-service window.</summary>
    [JsonPropertyName("last_interaction")] public DateTimeOffset? LastInteraction { get; set; }
}
