using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using WecomBridge.Api;
using WecomBridge.Pool.Segments;
using WecomBridge.Sending.Api;

namespace WecomBridge.Sending.Audience;

/// <summary>
/// The send API's part of an audience once the request is valid: the pool must be on, a named segment must be one of
/// the corp's (else a 400 naming customerTask.audience.segment), and the key may use every Official Account the
/// filter names (else 403). The command carries the segment's filter as it is now, so that the dispatcher expands
/// what was accepted even if the segment is edited meanwhile.
/// </summary>
internal sealed class AudienceResolver(IServiceProvider services)
{
    /// <summary>The request to queue (its audience with the filter to expand), or the refusal.</summary>
    public async Task<(SendMessageRequest? Command, ValidationProblem? Invalid, ProblemHttpResult? Refused)> ResolveAsync(
        SendMessageRequest body, ClaimsPrincipal user, CancellationToken ct)
    {
        if (body.CustomerTask?.Audience is not { } audience) return (body, null, null);
        if (services.GetService<ISegmentStore>() is not { } segments)
            return (null, Invalid(AudienceValidation.Path, "needs the contact pool, which this dispatcher does not keep (Pool:Enabled)."), null);
        var filterJson = audience.Filter;
        if (audience.Segment is { } id)
        {
            if (await segments.GetSegmentAsync(body.Corp!, AudienceValidation.SegmentId(id)!.Value, ct) is not { } segment)
                return (null, Invalid($"{AudienceValidation.Path}.segment", "names no saved segment of the corp."), null);
            filterJson = segment.Filter;
        }
        var errors = new FieldErrors();
        if (AudienceValidation.Filter(errors, filterJson!.Value) is not { } filter)
            return (null, TypedResults.ValidationProblem(errors.ToDictionary()), null); // saved before a rule tightened
        if (!SegmentApi.Accounts(filter).All(user.MayUseAccount)) return (null, null, ApiClaims.OutOfScope("account"));
        var snapshot = audience with { Filter = filterJson.Value.Clone() };
        return (body with { CustomerTask = body.CustomerTask with { Audience = snapshot } }, null, null);
    }

    private static ValidationProblem Invalid(string path, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [path] = [message] });

    /// <summary>The filter to expand from a command: its own, else the saved segment's as it is now (another producer's command).</summary>
    public static async Task<JsonElement?> FilterOfAsync(string corp, Contracts.Sending.CustomerAudience audience, ISegmentStore segments,
        CancellationToken ct)
    {
        if (audience.Filter is { ValueKind: not JsonValueKind.Null } filter) return filter;
        return audience.Segment is { } id && AudienceValidation.SegmentId(id) is { } guid
            && await segments.GetSegmentAsync(corp, guid, ct) is { } segment ? segment.Filter : null;
    }
}
