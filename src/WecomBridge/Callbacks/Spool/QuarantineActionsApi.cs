using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using WecomBridge.Contracts.Operations;
using WecomBridge.DeadLetters;
using WecomBridge.Messaging;

namespace WecomBridge.Callbacks.Spool;

/// <summary>
/// /api/v1/gateway/quarantine/{id}: one event of this instance's quarantine with its body masked (GET), sent back into
/// the spool for forwarding (POST …/replay), or deleted (DELETE). `id` is the `id` of the list; 400 names a malformed
/// one, 404 an unknown one (or one already replayed or discarded). Each action publishes its audit event.
/// </summary>
internal static partial class QuarantineActionsApi
{
    public static RouteGroupBuilder MapQuarantineActions(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/gateway/quarantine").WithTags("Gateway").RequireOperatorKey()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id}", Get).WithSummary("One quarantined event, its body masked");
        group.MapPost("/{id}/replay", Replay).WithSummary("Sends a quarantined event back into this instance's spool");
        group.MapDelete("/{id}", Discard).WithSummary("Deletes a quarantined event for good");
        return api;
    }

    private static async Task<Results<Ok<QuarantinedEventView>, ValidationProblem, ProblemHttpResult>> Get(
        string id, EventSpool spool, PersonalDataMask mask)
    {
        if (!TryParse(id, out var row)) return Malformed();
        if (await spool.GetQuarantinedAsync(row) is not { } found) return NotFound(row);
        var body = mask.Body(found.Body);
        return TypedResults.Ok(new QuarantinedEventView(found.Event, body, body is not null));
    }

    private static async Task<Results<Ok<QuarantineAnswer>, ValidationProblem, ProblemHttpResult>> Replay(
        string id, HttpContext http, EventSpool spool, IMessagePublisher publisher, TimeProvider clock, ILogger<EventSpool> logger)
    {
        if (!TryParse(id, out var row)) return Malformed();
        if (await spool.ReplayQuarantinedAsync(row) is not { } moved) return NotFound(row);
        var actor = OperatorKeys.Actor(http.User);
        Log.Replayed(logger, moved.EventId, row, actor);
        var auditId = EventIds.Of($"quarantine:{Instance}:{row}:replayed");
        await OperatorAudit.PublishAsync(publisher, logger, auditId,
            new QuarantinedEventReplayed(auditId, Instance, row, moved.EventId, moved.Type, actor, clock.GetUtcNow()), moved.EventId);
        return TypedResults.Ok(new QuarantineAnswer(row, moved.EventId, "replayed"));
    }

    private static async Task<Results<Ok<QuarantineAnswer>, ValidationProblem, ProblemHttpResult>> Discard(
        string id, HttpContext http, EventSpool spool, IMessagePublisher publisher, TimeProvider clock, ILogger<EventSpool> logger)
    {
        if (!TryParse(id, out var row)) return Malformed();
        if (await spool.DiscardQuarantinedAsync(row) is not { } gone) return NotFound(row);
        var actor = OperatorKeys.Actor(http.User);
        Log.Discarded(logger, gone.EventId, row, actor);
        var auditId = EventIds.Of($"quarantine:{Instance}:{row}:discarded");
        await OperatorAudit.PublishAsync(publisher, logger, auditId,
            new QuarantinedEventDiscarded(auditId, Instance, row, gone.EventId, gone.Type, actor, clock.GetUtcNow()), gone.EventId);
        return TypedResults.Ok(new QuarantineAnswer(row, gone.EventId, "discarded"));
    }

    private static string Instance => Environment.MachineName;


    private static bool TryParse(string id, out long row) =>
        long.TryParse(id, System.Globalization.NumberStyles.None, null, out row) && row > 0;

    private static ValidationProblem Malformed() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["id"] = ["id must be a quarantine id (a positive integer)"] });

    private static ProblemHttpResult NotFound(long id) => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found",
        detail: $"No quarantined event {id} in this instance's spool (never quarantined here, or already replayed or discarded).");

    private static partial class Log
    {
        [LoggerMessage(30, LogLevel.Information, "Quarantined event {EventId} (spool id {Id}) sent back to the spool by API key {Actor}")]
        public static partial void Replayed(ILogger logger, string eventId, long id, string actor);

        [LoggerMessage(31, LogLevel.Information, "Quarantined event {EventId} (spool id {Id}) discarded by API key {Actor}")]
        public static partial void Discarded(ILogger logger, string eventId, long id, string actor);
    }
}

internal sealed record QuarantinedEventView(QuarantinedEvent Event, JsonNode? Body, bool BodyShown);

internal sealed record QuarantineAnswer(long Id, string EventId, string Status);
