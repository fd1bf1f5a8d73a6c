using Microsoft.AspNetCore.Http.HttpResults;
using WecomBridge.Api;
using WecomBridge.OfficialAccount;
using WecomBridge.WeCom;
using WecomBridge.WeCom.Models;

namespace WecomBridge.Crm;

/// <summary>
/// CRM commands: the CRM writes its segmentation back to WeCom (corp tags, remarks) and Official Accounts (follower tags).
/// All are repeatable (set semantics), so a caller may retry a failed request as a whole.
/// </summary>
internal static class CrmApi
{
    public static RouteGroupBuilder MapCrm(this RouteGroupBuilder api)
    {
        var wecom = api.MapGroup("/wecom/{corp}/contacts/{externalUserId}").RequireCorpScope().MapUpstreamErrors().WithTags("CRM");
        wecom.MapPost("/tags", TagContact).ProducesValidationProblem();
        wecom.MapPut("/remark", RemarkContact).ProducesValidationProblem();

        var oa = api.MapGroup("/oa/{account}/followers").RequireAccountScope().MapUpstreamErrors().WithTags("CRM");
        oa.MapPost("/tags/{tagId:int}", TagFollowers).ProducesValidationProblem();
        return api;
    }

    private static async Task<NoContent> TagContact(string corp, [WeComId(CrmLimits.ExternalUserId)] string externalUserId,
        TagContactRequest body, WeComClient client, WeComCredentials credentials, CancellationToken ct)
    {
        await client.MarkTagAsync(credentials.Contact(corp),
            new MarkTagRequest(body.UserId, externalUserId, NonEmpty(body.Add), NonEmpty(body.Remove)), ct);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> RemarkContact(string corp, [WeComId(CrmLimits.ExternalUserId)] string externalUserId,
        RemarkContactRequest body, WeComClient client, WeComCredentials credentials, CancellationToken ct)
    {
        var mobiles = body.RemarkMobiles?.Select(m => m!).ToList();
        await client.RemarkAsync(credentials.Contact(corp),
            new RemarkRequest(body.UserId, externalUserId, body.Remark, body.Description, RemarkMobiles: mobiles), ct);
        return TypedResults.NoContent();
    }

    /// <summary>Tags, then untags, in calls of ≤ 50 openids (batchtagging's limit).</summary>
    private static async Task<Ok<FollowerTagsResult>> TagFollowers(
        string account, [System.ComponentModel.DataAnnotations.Range(1, int.MaxValue)] int tagId,
        FollowerTagsRequest body, OfficialAccountClient client, OfficialAccountCredentials credentials, CancellationToken ct)
    {
        var who = credentials.For(account);
        var calls = 0;
        foreach (var chunk in (NonEmpty(body.Add) ?? []).Chunk(CrmLimits.OpenIdsPerCall))
        {
            await client.TagFollowersAsync(who, new TaggingRequest(chunk, tagId), ct);
            calls++;
        }
        foreach (var chunk in (NonEmpty(body.Remove) ?? []).Chunk(CrmLimits.OpenIdsPerCall))
        {
            await client.UntagFollowersAsync(who, new TaggingRequest(chunk, tagId), ct);
            calls++;
        }
        return TypedResults.Ok(new FollowerTagsResult(body.Add?.Count ?? 0, body.Remove?.Count ?? 0, calls));
    }

    private static string[]? NonEmpty(List<string?>? ids) => ids is { Count: > 0 } ? ids.Select(id => id!).ToArray() : null;
}

/// <summary>What a follower-tags command did: openids tagged and untagged, and the API calls it took.</summary>
public sealed record FollowerTagsResult(int Tagged, int Untagged, int Calls);
