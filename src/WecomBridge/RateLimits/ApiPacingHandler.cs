using WecomBridge.WeCom;

namespace WecomBridge.RateLimits;

/// <summary>
/// On the WeCom and Official Account HttpClients: a request stamped with a <see cref="PacedCall"/> takes a permit of
/// its API bucket for every attempt after the first (a retry reaches the platform like any call and counts there),
/// and holds a concurrency slot of that bucket during the attempt when the call has one. The waits are bounded by
/// <paramref name="maxWait"/> (inside the attempt's timeout): past it the attempt fails as certainly not sent, so the
/// pipeline or the caller may repeat it safely. Requests without a stamp (reads, tokens, other roles) pass through.
/// </summary>
internal sealed class ApiPacingHandler(IRateLimiter? limiter, IConcurrencySlots? slots, TimeProvider time, TimeSpan maxWait, TimeSpan lease)
    : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        if (!request.Options.TryGetValue(PacedCall.Option, out var call) || limiter is null || slots is null)
            return await base.SendAsync(request, ct);
        var path = request.RequestUri?.AbsolutePath ?? call.Api; // never the query: it holds the token
        if (!call.IsFirstAttempt())
        {
            var grant = await Wait(path, () => limiter.AcquireAsync([call.Bucket], maxWait, time, ct));
            if (!grant.Granted) throw ApiException.NotSent(path, $"no rate-limit permit for a retry within {maxWait.TotalSeconds:0.#} s");
        }
        if (call.Concurrency is not { } limit) return await base.SendAsync(request, ct);
        await using var slot = await Wait(path, () => slots.EnterAsync(call.Bucket.Key, limit, lease, maxWait, time, ct))
            ?? throw ApiException.NotSent(path, $"no concurrency slot within {maxWait.TotalSeconds:0.#} s");
        return await base.SendAsync(request, ct);
    }

    /// <summary>A wait cut short (the attempt's timeout, a shutdown) happened before sending: the call certainly was not made.</summary>
    private static async Task<T> Wait<T>(string path, Func<Task<T>> wait)
    {
        try
        {
            return await wait();
        }
        catch (OperationCanceledException e)
        {
            throw ApiException.NotSent(path, "cancelled while waiting for a rate-limit permit or slot", e);
        }
    }
}
