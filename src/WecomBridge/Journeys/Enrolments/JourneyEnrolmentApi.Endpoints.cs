using Microsoft.Extensions.Options;
using WecomBridge.Journeys.Runtime;
using WecomBridge.Pool;
using WecomBridge.WeCom;
using static WecomBridge.Journeys.JourneyRoutes;

namespace WecomBridge.Journeys.Enrolments;

/// <summary>The handlers of the enrol and exit routes.</summary>
internal static partial class JourneyEnrolmentApi
{
    /// <summary>
    /// 201 with the enrolment; 200 with the first one on a repeat of its requestId; 409 when the contact runs an enrolment
    /// in the journey (another requestId) or the journey is inactive; 404 for an unknown journey or a contact that no
    /// member has in the pool.
    /// </summary>
    private static async Task<IResult> Enrol(string corp, string id, HttpRequest request, IJourneyDefinitionStore definitions,
        IJourneyStore store, JourneyEnroller enroller, IPoolStore pool, IOptionsMonitor<WeComOptions> wecom,
        IOptionsMonitor<JourneyRuntimeOptions> options, ILoggerFactory logs, CancellationToken ct)
    {
        if (!TryJourney(wecom, corp, id, out var name, out var badRoute)) return badRoute;
        var (body, refused) = await Reader.ReadAsync(request, ct);
        if (refused is not null) return refused;
        var errors = new Dictionary<string, string[]>();
        string? ext, requestId;
        using (body) (ext, requestId) = JourneyEnrolmentBody.Enrol(body!.RootElement, errors);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        if (await definitions.GetAsync(name, id, ct: ct) is not { } journey) return NotFound(NoSuchJourney);
        var source = requestId is null ? $"request:{Guid.NewGuid():N}" : $"request:{requestId}";
        if (requestId is not null && await First(store, name, id, ext!, source, options.CurrentValue.MaxHistory, ct) is { } first)
            return TypedResults.Ok(Answer(first));
        if (!journey.Active) return Conflict("Journey inactive", "The journey is inactive: it enrols nobody until a PUT activates it.");
        var contact = await pool.GetContactAsync(name, ext!, ct);
        var member = contact?.Relations.Where(r => r.DeletedAt is null).OrderBy(r => r.AddedAt).FirstOrDefault()?.UserId;
        if (member is null) return NotFound("No such contact in the pool, or no member has it any more.");
        var (outcome, enrolment) = await enroller.EnrolAsync(journey, ext!, member, source, ct);
        switch (outcome)
        {
            case EnrolOutcome.Enrolled:
                Log.Changed(logs.CreateLogger(typeof(JourneyEnrolmentApi)), enrolment.Id, name, id, "enrolled");
                return TypedResults.Created($"/api/v1/journeys/{Uri.EscapeDataString(name)}/contacts/{ext}", Answer(enrolment));
            case EnrolOutcome.Duplicate when await First(store, name, id, ext!, source, options.CurrentValue.MaxHistory, ct) is { } raced:
                return TypedResults.Ok(Answer(raced));
            default:
                var running = (await store.RunningAsync(name, ext!, ct)).FirstOrDefault(e => e.JourneyId == id);
                return Conflict("Enrolment running", $"The contact runs an enrolment in this journey ({running?.Id}); end it with …/exits first.");
        }
    }

    /// <summary>
    /// Ends the enrolment with the reason exitCall: 200 with it (also on a repeat); 409 when its version does not declare
    /// the exitCall exit or it ended otherwise; 404 when the contact runs no enrolment in the journey or the id is unknown.
    /// </summary>
    private static async Task<IResult> Exit(string corp, string id, HttpRequest request, IJourneyDefinitionStore definitions,
        IJourneyStore store, IOptionsMonitor<WeComOptions> wecom, TimeProvider time, ILoggerFactory logs, CancellationToken ct)
    {
        if (!TryJourney(wecom, corp, id, out var name, out var badRoute)) return badRoute;
        var (body, refused) = await Reader.ReadAsync(request, ct);
        if (refused is not null) return refused;
        var errors = new Dictionary<string, string[]>();
        string? ext;
        Guid? enrolmentId;
        using (body) (ext, enrolmentId) = JourneyEnrolmentBody.Exit(body!.RootElement, errors);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        if (await definitions.GetAsync(name, id, ct: ct) is null) return NotFound(NoSuchJourney);
        var enrolment = enrolmentId is { } given ? await store.GetAsync(given, ct)
            : (await store.RunningAsync(name, ext!, ct)).FirstOrDefault(e => e.JourneyId == id);
        if (enrolment is null || enrolment.Corp != name || enrolment.JourneyId != id)
            return NotFound(enrolmentId is null ? "The contact runs no enrolment in this journey." : "No such enrolment in this journey.");
        if (enrolment.State != EnrolmentStates.Running)
            return enrolment.ExitReason == JourneyExitKinds.ExitCall ? TypedResults.Ok(Answer(enrolment))
                : Conflict("Enrolment ended", $"The enrolment is {enrolment.State} already.");
        var version = await definitions.GetAsync(name, id, enrolment.Version, ct);
        if (version is null || version.Exits.All(x => x.Kind != JourneyExitKinds.ExitCall))
            return Conflict("Exit not declared", $"Version {enrolment.Version} of the journey does not declare the exit \"exitCall\": "
                + "add it to the journey's exits (new enrolments then take it).");
        if (!await store.ExitAsync(enrolment.Id, JourneyExitKinds.ExitCall, time.GetUtcNow(), ct))
            return await store.GetAsync(enrolment.Id, ct) is { ExitReason: JourneyExitKinds.ExitCall } done ? TypedResults.Ok(Answer(done))
                : Conflict("Enrolment ended", "The enrolment ended while it was being exited.");
        Log.Changed(logs.CreateLogger(typeof(JourneyEnrolmentApi)), enrolment.Id, name, id, "exited");
        return TypedResults.Ok(Answer((await store.GetAsync(enrolment.Id, ct))!));
    }

    /// <summary>The contact's enrolment in the journey from this source, if any.</summary>
    private static async Task<Enrolment?> First(IJourneyStore store, string corp, string id, string ext, string source, int limit,
        CancellationToken ct) =>
        (await store.HistoryAsync(corp, ext, limit, ct)).Select(h => h.Enrolment).FirstOrDefault(e => e.JourneyId == id && e.Source == source);
}
