using System.Security.Claims;
using System.Text.Json;
using Microsoft.Extensions.Options;
using WecomBridge.Api;

namespace WecomBridge.Pool.Segments;

/// <summary>
/// Segments of a corp's pool: saved ones (create, list, read, replace, delete; count, page, export) and ad-hoc filters
/// (query, export). Behind the API keys and their corp scope; a filter naming an Official Account needs that account too.
/// </summary>
internal static partial class SegmentApi
{
    public const string NdJson = "application/x-ndjson";

    public static RouteGroupBuilder MapSegmentApi(this RouteGroupBuilder api)
    {
        var segments = api.MapGroup("/pool/{corp}/segments").RequireCorpScope().WithTags("Pool")
            .WithMetadata(new ApiBodyLimit(SegmentLimits.BodyBytes)).ProducesValidationProblem();
        segments.MapPost("/", Create).Accepts<SegmentRequest>("application/json").Produces<SavedSegment>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        segments.MapGet("/", List).Produces<SegmentList>();
        segments.MapGet("/{id}", Get).Produces<SavedSegment>().ProducesProblem(StatusCodes.Status404NotFound);
        segments.MapPut("/{id}", Update).Accepts<SegmentRequest>("application/json").Produces<SavedSegment>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        segments.MapDelete("/{id}", Delete).Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
        segments.MapPost("/query", Query).Accepts<SegmentQueryRequest>("application/json").Produces<SegmentQueryResult>()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        segments.MapGet("/{id}/count", Count).Produces<SegmentCount>().ProducesProblem(StatusCodes.Status404NotFound);
        segments.MapGet("/{id}/contacts", Contacts).Produces<SegmentContactPage>().ProducesProblem(StatusCodes.Status404NotFound);
        segments.MapGet("/{id}/export", Export).Produces<SegmentContact>(StatusCodes.Status200OK, NdJson)
            .ProducesProblem(StatusCodes.Status404NotFound);
        segments.MapPost("/export", ExportAdHoc).Accepts<SegmentExportRequest>("application/json")
            .Produces<SegmentContact>(StatusCodes.Status200OK, NdJson).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        return api;
    }

    /// <summary>A 403 unless the key may use every Official Account the filter names.</summary>
    private static IResult? OutOfScope(SegmentFilter filter, ClaimsPrincipal user) =>
        Accounts(filter).All(user.MayUseAccount) ? null : ApiClaims.OutOfScope("account");

    internal static IEnumerable<string> Accounts(SegmentFilter filter) => filter switch
    {
        AllOf a => a.Items.SelectMany(Accounts),
        AnyOf a => a.Items.SelectMany(Accounts),
        NotOf n => Accounts(n.Item),
        OaSubscribedFilter o => [o.Account],
        _ => [],
    };

    /// <summary>A saved segment and its parsed filter; an id that is not a segment's is a 400, an unknown one a 404.</summary>
    private static async Task<(SavedSegment? Segment, SegmentFilter? Filter, IResult? Failed)> Load(string corp, string id,
        ClaimsPrincipal user, ISegmentStore store, CancellationToken ct)
    {
        if (id.Length > 40 || !Guid.TryParse(id, out var guid))
            return (null, null, SegmentBody.Invalid("id", "id is a segment id as POST …/segments returned it."));
        if (await store.GetSegmentAsync(corp, guid, ct) is not { } segment)
            return (null, null, TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "No such segment."));
        var errors = new Dictionary<string, string[]>();
        var filter = SegmentFilterParser.Parse(segment.Filter, "filter", errors);
        if (filter is null) return (null, null, TypedResults.ValidationProblem(errors));
        return OutOfScope(filter, user) is { } refused ? (null, null, refused) : (segment, filter, null);
    }

    private static SegmentQuery Run(string corp, SegmentFilter filter, TimeProvider time) => new(corp, filter, time.GetUtcNow());

    /// <summary>Now to the microsecond, as PostgreSQL keeps times: a segment reads back as it was answered.</summary>
    private static DateTimeOffset Microseconds(TimeProvider time)
    {
        var now = time.GetUtcNow();
        return now.AddTicks(-(now.Ticks % 10));
    }

    private static int MaxPage(IOptions<PoolOptions> options) => options.Value.MaxPageSize;

    private static async Task<(JsonDocument? Body, IResult? Refused)> Body(HttpRequest request, CancellationToken ct) =>
        await SegmentBody.ReadAsync(request, ct);

    private static partial class Log
    {
        [LoggerMessage(1840, LogLevel.Information, "Segment {SegmentId} of corp {Corp} {Change}")]
        public static partial void Changed(ILogger logger, Guid segmentId, string corp, string change);
    }
}

/// <summary>The body of POST …/segments/export: the filter.</summary>
public sealed record SegmentExportRequest(JsonElement Filter);

public sealed record SegmentList(IReadOnlyList<SavedSegment> Items);

public sealed record SegmentCount(long Count);

/// <summary>A page of a segment's contacts; Next (opaque) asks for the following page, null on the last one.</summary>
public sealed record SegmentContactPage(IReadOnlyList<SegmentContact> Items, string? Next);

/// <summary>An ad-hoc query's answer: the count when asked, the first page (and its next) when limit is above 0.</summary>
public sealed record SegmentQueryResult(long? Count, IReadOnlyList<SegmentContact>? Items, string? Next);
