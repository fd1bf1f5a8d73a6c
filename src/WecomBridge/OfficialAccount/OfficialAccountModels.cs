using System.Text.Json.Serialization;
using WecomBridge.WeCom;

namespace WecomBridge.OfficialAccount;

/// <summary>stable_token: normal mode answers the same token and renews it 5 min early.</summary>
public sealed record StableTokenRequest(string GrantType, [property: JsonPropertyName("appid")] string AppId, string Secret, bool ForceRefresh);

/// <summary>message/template/send. client_msg_id makes WeChat drop a repeat for 10 minutes (so it may be retried).</summary>
public sealed record TemplateMessageRequest(
    [property: JsonPropertyName("touser")] string ToUser,
    string TemplateId,
    IReadOnlyDictionary<string, TemplateValue> Data,
    string? Url = null,
    TemplateMiniprogram? Miniprogram = null,
    string? ClientMsgId = null);

public sealed record TemplateValue(string Value);
public sealed record TemplateMiniprogram(
    [property: JsonPropertyName("appid")] string AppId, [property: JsonPropertyName("pagepath")] string? PagePath);
public sealed record TemplateMessageResult([property: JsonPropertyName("msgid")] long MsgId) : ApiResult;

/// <summary>message/custom/send (customer-service message, within the follower's 48-hour window).</summary>
public sealed record CustomMessageRequest(
    [property: JsonPropertyName("touser")] string ToUser,
    [property: JsonPropertyName("msgtype")] string MsgType,
    CustomText? Text = null,
    CustomMedia? Image = null,
    [property: JsonPropertyName("customservice")] CustomService? CustomService = null);

public sealed record CustomText(string Content);
public sealed record CustomMedia(string MediaId);
public sealed record CustomService(string KfAccount);

/// <summary>user/info (no nickname or avatar since 2021-12-27). Subscribe 0: not following, little else is given.</summary>
public sealed record FollowerInfo(
    int Subscribe,
    [property: JsonPropertyName("openid")] string OpenId,
    [property: JsonPropertyName("unionid")] string? UnionId = null,
    string? Language = null,
    long? SubscribeTime = null,
    string? Remark = null,
    [property: JsonPropertyName("tagid_list")] List<int>? TagIds = null,
    string? SubscribeScene = null,
    long? QrScene = null,
    string? QrSceneStr = null) : ApiResult;

/// <summary>user/get: up to 10,000 openids after next_openid.</summary>
public sealed record FollowerPage(
    int Total, int Count, FollowerOpenIds? Data, [property: JsonPropertyName("next_openid")] string? NextOpenId) : ApiResult;
public sealed record FollowerOpenIds([property: JsonPropertyName("openid")] List<string>? OpenIds);

/// <summary>tags/members/batchtagging and batchuntagging: ≤ 50 openids.</summary>
public sealed record TaggingRequest(
    [property: JsonPropertyName("openid_list")] IReadOnlyList<string> OpenIds, [property: JsonPropertyName("tagid")] int TagId);

/// <summary>Source-generated JSON of the Official Account API.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ApiOk))]
[JsonSerializable(typeof(AccessTokenResponse))]
[JsonSerializable(typeof(StableTokenRequest))]
[JsonSerializable(typeof(TemplateMessageRequest))]
[JsonSerializable(typeof(TemplateMessageResult))]
[JsonSerializable(typeof(CustomMessageRequest))]
[JsonSerializable(typeof(FollowerInfo))]
[JsonSerializable(typeof(FollowerPage))]
[JsonSerializable(typeof(TaggingRequest))]
internal sealed partial class OfficialAccountJsonContext : JsonSerializerContext;
