using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using WecomBridge.Api;
using WecomBridge.Pool;
using WecomBridge.Sending.Limits;
using WecomBridge.Sending.Suppression;
using WecomBridge.WeCom;
using static WecomBridge.Journeys.JourneyRoutes;

namespace WecomBridge.Journeys.Views;

/// <summary>The dry-run handler: reads only (definitions, pool, suppression list, running enrolments), sends and writes nothing.</summary>
internal static partial class JourneyViewApi
{
    private static readonly JsonBody DryRunBody = new(DryRunBodyBytes, 8, $"A dry run takes at most {DryRunBodyBytes} bytes.",
        "The body must be a JSON object: {\"externalUserId\", \"at\"?}.");

    /// <summary>How far from now a dry run's enrolment time may be: a journey ends within about a year of its enrolment.</summary>
    private static readonly TimeSpan AtRange = TimeSpan.FromDays(5 * 366);

    private static async Task<IResult> DryRun(string corp, string id, HttpContext context, IJourneyDefinitionStore definitions,
        IPoolStore pool, IOptionsMonitor<WeComOptions> wecom, IOptionsMonitor<SendPolicyOptions> policies, TimeProvider time,
        ILoggerFactory logs, CancellationToken ct)
    {
        if (!TryJourney(wecom, corp, id, out var name, out var badRoute)) return badRoute;
        var (body, refused) = await DryRunBody.ReadAsync(context.Request, ct);
        if (refused is not null) return refused;
        var now = time.GetUtcNow();
        string externalUserId;
        DateTimeOffset at;
        using (body)
        {
            if (Read(body!.RootElement, now, out var errors) is not { } request) return TypedResults.ValidationProblem(errors);
            (externalUserId, at) = (request.ExternalUserId, request.At ?? now);
        }
        var (store, unavailable) = Store(context);
        if (store is null) return unavailable!;
        if (await definitions.GetAsync(name, id, ct: ct) is not { } journey) return NotFound(NoSuchJourney);
        var contact = await pool.GetContactAsync(name, externalUserId, ct);
        var running = (await store.RunningAsync(name, externalUserId, ct)).Any(e => e.JourneyId == id);
        bool? suppressed = null;
        if (context.RequestServices.GetService<ISuppressionList>() is { } list)
        {
            var keys = new List<string> { SuppressionScopes.AnyMember(externalUserId) };
            keys.AddRange(contact?.Relations.Where(r => r.DeletedAt is null).Select(r => SuppressionScopes.Pair(r.UserId, externalUserId)) ?? []);
            suppressed = (await list.FindManyAsync(SuppressionScopes.WeCom(name), keys)).Count > 0;
        }
        var answer = JourneyPreview.Run(journey, externalUserId, contact, at, now, policies.Get(name), suppressed, running);
        Log.DryRun(logs.CreateLogger(typeof(JourneyViewApi)), id, name, answer.Steps.Count);
        return TypedResults.Ok(answer);
    }

    /// <summary>{"externalUserId": a WeCom id, "at"?: an ISO 8601 time with its offset}; every other field is refused by name.</summary>
    private static DryRunRequest? Read(JsonElement body, DateTimeOffset now, out Dictionary<string, string[]> errors)
    {
        errors = [];
        string? externalUserId = null;
        DateTimeOffset? at = null;
        foreach (var field in body.EnumerateObject())
        {
            switch (field.Name)
            {
                case "externalUserId" when field.Value.ValueKind == JsonValueKind.String
                    && WeComIdAttribute.IsValid(field.Value.GetString(), PoolApi.IdLength):
                    externalUserId = field.Value.GetString();
                    break;
                case "externalUserId":
                    errors["externalUserId"] = [$"must be 1–{PoolApi.IdLength} characters of ASCII letters, digits and _-.@"];
                    break;
                case "at" when field.Value.ValueKind == JsonValueKind.Null:
                    break;
                case "at" when field.Value.ValueKind == JsonValueKind.String && field.Value.GetString() is { Length: <= 40 } text
                    && Offset().IsMatch(text) && field.Value.TryGetDateTimeOffset(out var value) && (value - now).Duration() <= AtRange:
                    at = value;
                    break;
                case "at":
                    errors["at"] = ["must be an ISO 8601 date and time with its offset (2026-12-06T10:00:00+08:00), within 5 years of now."];
                    break;
                default:
                    if (errors.Count < 100) errors[field.Name.Length <= 64 ? field.Name : "$"] = ["is not a field of a dry run."];
                    break;
            }
        }
        if (externalUserId is null && !errors.ContainsKey("externalUserId")) errors["externalUserId"] = ["is required."];
        return errors.Count == 0 ? new DryRunRequest(externalUserId!, at) : null;
    }

    [GeneratedRegex(@"(Z|z|[+-]\d{2}:\d{2})$")]
    private static partial Regex Offset();
}
