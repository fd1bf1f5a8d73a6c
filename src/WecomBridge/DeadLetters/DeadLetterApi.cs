using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using WecomBridge.Messaging;

namespace WecomBridge.DeadLetters;

/// <summary>
/// /api/v1/dead-letters: the queues with dead letters and their counts; one queue's dead letters in pages (`after` = the
/// last `next`, `limit` 1–100); one dead letter; replay (one, or every one of a queue, up to `limit` 1–1000 a call) and
/// discard. Bodies and fault texts are masked. 400 names the malformed field, 404 an unknown id, 409 an id another
/// action holds or a queue gone from the broker, 503 a store or broker away (nothing changed).
/// </summary>
internal static partial class DeadLetterApi
{
    public const int MaxPage = 100, MaxReplayAll = 1000;

    public static RouteGroupBuilder MapDeadLetterApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/dead-letters").WithTags("Dead letters").RequireOperatorKey()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapGet("", Overview).WithSummary("Queues with dead letters, with their counts");
        group.MapGet("/queues/{queue}", List).WithSummary("One queue's dead letters, oldest first, masked");
        group.MapPost("/queues/{queue}/replay", ReplayAll).WithSummary("Replays a queue's dead letters to the queue");
        group.MapGet("/{id}", Get).WithSummary("One dead letter, masked").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/replay", Replay).WithSummary("Publishes a dead letter to its queue again, then deletes it")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/{id}", Discard).WithSummary("Deletes a dead letter for good")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private static async Task<Results<Ok<DeadLetterOverview>, ValidationProblem, ProblemHttpResult>> Overview(
        IDeadLetterStore store, IOptions<DeadLetterOptions> options, IServiceProvider services) => await Guard<DeadLetterOverview>(async () =>
    {
        var waiting = services.GetService<DeadLetterCollector>()?.Waiting;
        var stored = await store.QueuesAsync();
        var names = stored.Select(q => q.Queue).Concat(waiting?.Where(w => w.Value > 0)
            .Select(w => w.Key[..^DeadLetter.ErrorSuffix.Length]) ?? []).Distinct().Order(StringComparer.Ordinal);
        var queues = names.Select(q => new DeadLetterQueueView(q, q + DeadLetter.ErrorSuffix, stored.FirstOrDefault(s => s.Queue == q).Count,
            waiting is not null && waiting.TryGetValue(q + DeadLetter.ErrorSuffix, out var n) ? n : null)).ToList();
        var (count, bytes) = await store.SizeAsync();
        return TypedResults.Ok(new DeadLetterOverview(queues, count, bytes, options.Value.MaxMessages, options.Value.MaxBytes));
    });

    private static async Task<Results<Ok<DeadLetterPage>, ValidationProblem, ProblemHttpResult>> List(
        string queue, string? after, string? limit, IDeadLetterStore store, PersonalDataMask mask)
    {
        if (QueueError(queue) is { } bad) return bad;
        if (Number(after, "after", 0, long.MaxValue, 0, out var from) is { } badAfter) return badAfter;
        if (Number(limit, "limit", 1, MaxPage, 50, out var max) is { } badLimit) return badLimit;
        return await Guard<DeadLetterPage>(async () =>
        {
            var items = await store.ListAsync(queue, from, (int)max);
            return TypedResults.Ok(new DeadLetterPage(queue, items.Select(i => DeadLetterView.Of(i.Letter, mask)).ToList(),
                items.Count == max ? items[^1].Seq : null));
        });
    }

    private static async Task<Results<Ok<DeadLetterView>, ValidationProblem, ProblemHttpResult>> Get(
        string id, IDeadLetterStore store, PersonalDataMask mask)
    {
        if (IdError(id) is { } bad) return bad;
        return await Guard<DeadLetterView>(async () =>
            await store.GetAsync(id) is { } letter
                ? TypedResults.Ok(DeadLetterView.Of(letter, mask))
                : (Results<Ok<DeadLetterView>, ValidationProblem, ProblemHttpResult>)NotFound(id));
    }

    private static async Task<Results<Ok<ActionAnswer>, ValidationProblem, ProblemHttpResult>> Replay(
        string id, HttpContext http, DeadLetterActions actions)
    {
        if (IdError(id) is { } bad) return bad;
        return await Guard<ActionAnswer>(async () =>
            Answer(id, "replayed", await actions.ReplayAsync(id, OperatorKeys.Actor(http.User), http.RequestAborted)));
    }

    private static async Task<Results<Ok<ActionAnswer>, ValidationProblem, ProblemHttpResult>> Discard(
        string id, HttpContext http, DeadLetterActions actions)
    {
        if (IdError(id) is { } bad) return bad;
        return await Guard<ActionAnswer>(async () =>
            Answer(id, "discarded", await actions.DiscardAsync(id, OperatorKeys.Actor(http.User))));
    }

    private static async Task<Results<Ok<ReplayAllResult>, ValidationProblem, ProblemHttpResult>> ReplayAll(
        string queue, string? limit, HttpContext http, IDeadLetterStore store, DeadLetterActions actions)
    {
        if (QueueError(queue) is { } bad) return bad;
        if (Number(limit, "limit", 1, MaxReplayAll, MaxReplayAll, out var max) is { } badLimit) return badLimit;
        return await Guard<ReplayAllResult>(async () =>
        {
            int replayed = 0, busy = 0, failed = 0;
            long after = 0;
            while (replayed + busy + failed < max)
            {
                var page = await store.ListAsync(queue, after, (int)Math.Min(MaxPage, max - replayed - busy - failed));
                if (page.Count == 0) break;
                after = page[^1].Seq;
                foreach (var (_, letter) in page)
                {
                    var outcome = await actions.ReplayAsync(letter.Id, OperatorKeys.Actor(http.User), http.RequestAborted);
                    if (outcome == ActionOutcome.Done) replayed++;
                    else if (outcome == ActionOutcome.Busy) busy++;
                    else if (outcome != ActionOutcome.NotFound) failed++;
                }
            }
            var left = (await store.QueuesAsync()).FirstOrDefault(q => q.Queue == queue).Count;
            return TypedResults.Ok(new ReplayAllResult(queue, replayed, busy, failed, left));
        });
    }

    private static Results<Ok<ActionAnswer>, ValidationProblem, ProblemHttpResult> Answer(string id, string done, ActionOutcome outcome) =>
        outcome switch
        {
            ActionOutcome.Done => TypedResults.Ok(new ActionAnswer(id, done)),
            ActionOutcome.NotFound => NotFound(id),
            ActionOutcome.Busy => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict",
                detail: $"Dead letter {id} is being replayed or discarded by another request."),
            _ => Unavailable("there is no broker to replay to (embedded mode)"),
        };

    /// <summary>Store and broker failures become 503 (nothing changed: a replay deletes only after the broker's confirm).</summary>
    private static async Task<Results<Ok<T>, ValidationProblem, ProblemHttpResult>> Guard<T>(
        Func<Task<Results<Ok<T>, ValidationProblem, ProblemHttpResult>>> work)
    {
        try { return await work(); }
        catch (QueueGoneException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict",
                detail: $"The queue '{e.Queue}' does not exist on the broker: start the consumer that declares it, then replay.");
        }
        catch (Exception e) when (e is RedisException or TimeoutException or BrokerUnavailableException
                                      or RabbitMQ.Client.Exceptions.RabbitMQClientException)
        {
            return Unavailable(e.GetType().Name);
        }
    }

    private static ProblemHttpResult NotFound(string id) => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound,
        title: "Not found", detail: $"No dead letter {id} (never collected, or already replayed or discarded).");

    private static ProblemHttpResult Unavailable(string why) => TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable,
        title: "Unavailable", detail: $"Dead letters are unavailable ({why}); nothing was changed.");

    private static ValidationProblem? IdError(string id) => DeadLetter.IsWellFormed(id) ? null
        : Invalid("id", "must be 32 lowercase hex characters (a dead letter's id)");

    private static ValidationProblem? QueueError(string queue) => queue.Length <= 255 && QueueName().IsMatch(queue) ? null
        : Invalid("queue", "must be a queue name of 1–255 letters, digits and . _ : -");

    private static ValidationProblem? Number(string? text, string field, long min, long max, long fallback, out long value)
    {
        value = fallback;
        if (text is null) return null;
        return long.TryParse(text, System.Globalization.NumberStyles.None, null, out value) && value >= min && value <= max ? null
            : Invalid(field, $"must be an integer from {min} to {max}");
    }

    private static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [$"{field} {message}"] });

    [GeneratedRegex("^[A-Za-z0-9._:-]+$")]
    private static partial Regex QueueName();
}

internal sealed record ActionAnswer(string Id, string Status);
