namespace WecomBridge.RateLimits;

/// <summary>
/// One call of a rate-limited API, made by a caller that has already taken the permits of its first attempt (all its
/// buckets at once). The caller opens it around the client call (<see cref="Begin"/>); the client stamps it on that
/// API's requests (<see cref="Stamp"/>, an <see cref="HttpRequestOptions"/> entry) and <see cref="ApiPacingHandler"/>
/// takes a permit of <see cref="Bucket"/> for every attempt after the first (Polly's retries) and holds a concurrency
/// slot during each attempt when <see cref="Concurrency"/> is set.
/// </summary>
internal sealed class PacedCall(string api, RateBucket bucket, int? concurrency)
{
    public static readonly HttpRequestOptionsKey<PacedCall> Option = new("wecombridge.paced-call");

    private static readonly AsyncLocal<PacedCall?> Current = new();

    private int _attempts;

    /// <summary>The API path after the family's prefix ("externalcontact/add_msg_template", "message/template/send").</summary>
    public string Api { get; } = api;

    public RateBucket Bucket { get; } = bucket;

    public int? Concurrency { get; } = concurrency;

    /// <summary>True for the first attempt only (its permit was paid by the caller).</summary>
    public bool IsFirstAttempt() => Interlocked.Increment(ref _attempts) == 1;

    /// <summary>Makes <paramref name="call"/> the current one in this async flow until disposed.</summary>
    public static IDisposable Begin(PacedCall call)
    {
        var previous = Current.Value;
        Current.Value = call;
        return new Scope(previous);
    }

    /// <summary>Marks <paramref name="request"/> (a request of <paramref name="api"/>) with the current call, if it is for that API.</summary>
    public static HttpRequestMessage Stamp(HttpRequestMessage request, string api)
    {
        if (Current.Value is { } call && call.Api == api) request.Options.Set(Option, call);
        return request;
    }

    private sealed class Scope(PacedCall? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
