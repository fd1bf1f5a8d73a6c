using System.ComponentModel.DataAnnotations;
using WecomBridge.Api;

namespace WecomBridge.Crm;

/// <summary>Limits of the CRM commands (docs/wecom-protocol.md §5 and the WeCom/OA API pages).</summary>
internal static class CrmLimits
{
    /// <summary>WeCom userid: 1–64 bytes.</summary>
    public const int UserId = 64;
    /// <summary>external_userid is 32 characters today; room is left for other forms.</summary>
    public const int ExternalUserId = 128;
    public const int TagId = 64;
    /// <summary>A sane bound on tags per mark_tag call (add and remove each).</summary>
    public const int TagsPerCall = 100;
    /// <summary>externalcontact/remark: remark ≤ 20 characters, description ≤ 150.</summary>
    public const int Remark = 20;
    public const int Description = 150;
    public const int RemarkMobiles = 5;
    public const int Mobile = 20;
    /// <summary>An openid is 28 characters; 64 leaves room.</summary>
    public const int OpenId = 64;
    /// <summary>Openids per request (each list); the bridge splits them into calls of 50 (batchtagging's limit).</summary>
    public const int OpenIdsPerRequest = 1000;
    public const int OpenIdsPerCall = 50;
}

/// <summary>POST …/contacts/{externalUserId}/tags: the member's corp tags on the customer (mark_tag).</summary>
public sealed record TagContactRequest(
    [property: Required, WeComId(CrmLimits.UserId)] string UserId,
    List<string?>? Add,
    List<string?>? Remove) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext context) =>
        IdLists.AddOrRemove(Add, Remove)
            .Concat(IdLists.Check(Add, "add", CrmLimits.TagsPerCall, CrmLimits.TagId))
            .Concat(IdLists.Check(Remove, "remove", CrmLimits.TagsPerCall, CrmLimits.TagId));
}

/// <summary>PUT …/contacts/{externalUserId}/remark: the member's remark, description and remark mobiles.</summary>
public sealed record RemarkContactRequest(
    [property: Required, WeComId(CrmLimits.UserId)] string UserId,
    [property: Required(AllowEmptyStrings = true), MaxLength(CrmLimits.Remark)] string Remark,
    [property: MaxLength(CrmLimits.Description)] string? Description,
    List<string?>? RemarkMobiles) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        if (RemarkMobiles is null) yield break;
        if (RemarkMobiles.Count > CrmLimits.RemarkMobiles)
        {
            yield return new($"remarkMobiles has at most {CrmLimits.RemarkMobiles} numbers.", ["remarkMobiles"]);
            yield break;
        }
        for (var i = 0; i < RemarkMobiles.Count; i++)
            if (RemarkMobiles[i] is not { Length: > 0 and <= CrmLimits.Mobile } mobile || !mobile.All(c => char.IsAsciiDigit(c) || c is '+' or '-'))
                yield return new($"remarkMobiles[{i}] must be 1–{CrmLimits.Mobile} digits, '+' or '-'.", [$"remarkMobiles[{i}]"]);
    }
}

/// <summary>POST /oa/{account}/followers/tags/{tagId}: followers to tag and untag.</summary>
public sealed record FollowerTagsRequest(List<string?>? Add, List<string?>? Remove) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext context) =>
        IdLists.AddOrRemove(Add, Remove)
            .Concat(IdLists.Check(Add, "add", CrmLimits.OpenIdsPerRequest, CrmLimits.OpenId))
            .Concat(IdLists.Check(Remove, "remove", CrmLimits.OpenIdsPerRequest, CrmLimits.OpenId));
}
