using System.Text.Json.Serialization;

namespace WecomBridge.WeCom.Models;

public sealed record CorpTagListRequest(IReadOnlyList<string>? TagId, IReadOnlyList<string>? GroupId);

/// <summary>externalcontact/get_corp_tag_list.</summary>
public sealed record CorpTagList(List<CorpTagGroup>? TagGroup) : ApiResult;

public sealed record CorpTagGroup(string GroupId, string GroupName, long CreateTime, int Order, bool Deleted, List<CorpTag>? Tag);

public sealed record CorpTag(string Id, string Name, long CreateTime, int Order, bool Deleted);

public sealed record MarkTagRequest(
    [property: JsonPropertyName("userid")] string UserId,
    [property: JsonPropertyName("external_userid")] string ExternalUserId,
    IReadOnlyList<string>? AddTag,
    IReadOnlyList<string>? RemoveTag);
