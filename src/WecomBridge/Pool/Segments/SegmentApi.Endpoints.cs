using System.Security.Claims;
using Microsoft.Extensions.Options;

namespace WecomBridge.Pool.Segments;

/// <summary>The handlers of the segment routes.</summary>
internal static partial class SegmentApi
{
    private static async Task<IResult> Create(string corp, HttpRequest request, ClaimsPrincipal user, ISegmentStore store,
        TimeProvider time, ILoggerFactory logs, CancellationToken ct)
    {
        var (body, refused) = await Body(request, ct);
        if (refused is not null) return refused;
        using (body)
        {
            var errors = new Dictionary<string, string[]>();
            if (SegmentRequests.Segment(body!.RootElement, errors) is not var (given, filter)) return TypedResults.ValidationProblem(errors);
            if (OutOfScope(filter, user) is { } outside) return outside;
            if ((await store.ListSegmentsAsync(corp, ct)).Count >= SegmentLimits.SegmentsPerCorp)
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Too many segments",
                    detail: $"A corp keeps at most {SegmentLimits.SegmentsPerCorp} segments; delete one first.");
            var now = Microseconds(time);
            var segment = new SavedSegment(Guid.CreateVersion7(now), corp, given.Name, given.Description, given.Filter, now, now);
            await store.SaveSegmentAsync(segment, create: true, ct);
            Log.Changed(logs.CreateLogger(typeof(SegmentApi)), segment.Id, corp, "created");
            return TypedResults.Created($"/api/v1/pool/{Uri.EscapeDataString(corp)}/segments/{segment.Id}", segment);
        }
    }

    private static async Task<IResult> List(string corp, ISegmentStore store, CancellationToken ct) =>
        TypedResults.Ok(new SegmentList(await store.ListSegmentsAsync(corp, ct)));

    private static async Task<IResult> Get(string corp, string id, ClaimsPrincipal user, ISegmentStore store, CancellationToken ct)
    {
        var (segment, _, failed) = await Load(corp, id, user, store, ct);
        return failed ?? TypedResults.Ok(segment);
    }

    private static async Task<IResult> Update(string corp, string id, HttpRequest request, ClaimsPrincipal user, ISegmentStore store,
        TimeProvider time, ILoggerFactory logs, CancellationToken ct)
    {
        var (segment, _, failed) = await Load(corp, id, user, store, ct);
        if (failed is not null) return failed;
        var (body, refused) = await Body(request, ct);
        if (refused is not null) return refused;
        using (body)
        {
            var errors = new Dictionary<string, string[]>();
            if (SegmentRequests.Segment(body!.RootElement, errors) is not var (given, filter)) return TypedResults.ValidationProblem(errors);
            if (OutOfScope(filter, user) is { } outside) return outside;
            var updated = segment! with
            {
                Name = given.Name, Description = given.Description, Filter = given.Filter, UpdatedAt = Microseconds(time),
            };
            if (!await store.SaveSegmentAsync(updated, create: false, ct))
                return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "No such segment.");
            Log.Changed(logs.CreateLogger(typeof(SegmentApi)), updated.Id, corp, "replaced");
            return TypedResults.Ok(updated);
        }
    }

    private static async Task<IResult> Delete(string corp, string id, ClaimsPrincipal user, ISegmentStore store, ILoggerFactory logs,
        CancellationToken ct)
    {
        var (segment, _, failed) = await Load(corp, id, user, store, ct);
        if (failed is not null) return failed;
        await store.DeleteSegmentAsync(corp, segment!.Id, ct);
        Log.Changed(logs.CreateLogger(typeof(SegmentApi)), segment.Id, corp, "deleted");
        return TypedResults.NoContent();
    }

    private static async Task<IResult> Query(string corp, HttpRequest request, ClaimsPrincipal user, ISegmentStore store, TimeProvider time,
        IOptions<PoolOptions> options, CancellationToken ct)
    {
        var (body, refused) = await Body(request, ct);
        if (refused is not null) return refused;
        using (body)
        {
            var errors = new Dictionary<string, string[]>();
            if (SegmentRequests.Query(body!.RootElement, MaxPage(options), errors) is not var (filter, count, limit, after))
                return TypedResults.ValidationProblem(errors);
            if (OutOfScope(filter, user) is { } outside) return outside;
            var query = Run(corp, filter, time);
            long? total = count ? await store.CountAsync(query, ct) : null;
            if (limit == 0) return TypedResults.Ok(new SegmentQueryResult(total, null, null));
            var page = await Page(store, query, limit, after, ct);
            return TypedResults.Ok(new SegmentQueryResult(total, page.Items, page.Next));
        }
    }

    private static async Task<IResult> Count(string corp, string id, ClaimsPrincipal user, ISegmentStore store, TimeProvider time,
        CancellationToken ct)
    {
        var (_, filter, failed) = await Load(corp, id, user, store, ct);
        return failed ?? TypedResults.Ok(new SegmentCount(await store.CountAsync(Run(corp, filter!, time), ct)));
    }

    private static async Task<IResult> Contacts(string corp, string id, HttpRequest request, ClaimsPrincipal user, ISegmentStore store,
        TimeProvider time, IOptions<PoolOptions> options, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var (limit, after) = SegmentRequests.Page(request.Query, MaxPage(options), errors);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var (_, filter, failed) = await Load(corp, id, user, store, ct);
        return failed ?? TypedResults.Ok(await Page(store, Run(corp, filter!, time), limit, after, ct));
    }

    private static async Task<IResult> Export(string corp, string id, ClaimsPrincipal user, ISegmentStore store, TimeProvider time,
        ILoggerFactory logs, CancellationToken ct)
    {
        var (segment, filter, failed) = await Load(corp, id, user, store, ct);
        return failed ?? new SegmentExport(store, Run(corp, filter!, time), segment!.Id, logs.CreateLogger(typeof(SegmentApi)));
    }

    private static async Task<IResult> ExportAdHoc(string corp, HttpRequest request, ClaimsPrincipal user, ISegmentStore store,
        TimeProvider time, ILoggerFactory logs, CancellationToken ct)
    {
        var (body, refused) = await Body(request, ct);
        if (refused is not null) return refused;
        using (body)
        {
            var errors = new Dictionary<string, string[]>();
            if (SegmentRequests.ExportFilter(body!.RootElement, errors) is not { } filter) return TypedResults.ValidationProblem(errors);
            return OutOfScope(filter, user) ?? new SegmentExport(store, Run(corp, filter, time), null, logs.CreateLogger(typeof(SegmentApi)));
        }
    }

    /// <summary>One page (one more read to know whether another follows).</summary>
    private static async Task<SegmentContactPage> Page(ISegmentStore store, SegmentQuery query, int limit, string? after, CancellationToken ct)
    {
        var items = await store.PageAsync(query, limit + 1, after, ct);
        var next = items.Count > limit ? PoolQuery.Cursor(items[limit - 1].ExternalUserId) : null;
        return new SegmentContactPage([.. items.Take(limit)], next);
    }
}
