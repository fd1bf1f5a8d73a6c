using System.Diagnostics;
using WecomBridge.WeCom;

namespace WecomBridge.RateLimits;

/// <summary>
/// On the WeCom and Official Account HttpClients: a request stamped with a <see cref="PacedCall"/> takes a permit of
/// its API bucket for every attempt after the first (a retry reaches the platform like any call and counts there),
/// holds a concurrency slot of that bucket during the attempt when the call has one, and passes the bucket's
/// departure check (<see cref="IRateLimiter.DepartAsync"/>) last, right before the request leaves: whatever delayed
/// the call since its permit (a token fetch, a busy machine) then cannot crowd the platform's window. The waits are
/// bounded by <paramref name="maxWait"/> (inside the attempt's timeout), and all the time from the attempt's start to
/// the request leaving (<see cref="ApiTransport.Started"/>: the call mark, slow store calls) by 1.5 × maxWait: past
/// them the attempt fails as certainly not sent, so the pipeline or the caller may repeat it safely. Requests without
/// a stamp (reads, tokens, other roles) pass through.
/// </summary>
internal sealed class ApiPacingHandler(
    IRateLimiter? limiter, IConcurrencySlots? slots, DepartureSpreads spreads, TimeProvider time, TimeSpan maxWait, TimeSpan lease)
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
        if (call.Concurrency is not { } limit) return await DepartAndSendAsync(request, path, call.Bucket, ct);
        await using var slot = await Wait(path, () => slots.EnterAsync(call.Bucket.Key, limit, lease, maxWait, time, ct))
            ?? throw ApiException.NotSent(path, $"no concurrency slot within {maxWait.TotalSeconds:0.#} s");
        return await DepartAndSendAsync(request, path, call.Bucket, ct);
    }

    /// <summary>The departure check, then the request; the time from the passed check to the answer is observed.</summary>
    private async Task<HttpResponseMessage> DepartAndSendAsync(HttpRequestMessage request, string path, RateBucket bucket, CancellationToken ct)
    {
        var checkedAt = await Wait(path, () => DepartAsync(path, bucket, ct));
        // A slow store (Redis failing over) may have held the mark, the slot or the check past their share of the
        // attempt: a request sent now could be cut off by the attempt's timeout after leaving, its outcome unknown.
        // The waits themselves are bounded by maxWait; half as much again covers the store calls around them.
        if (request.Options.TryGetValue(ApiTransport.Started, out var started) && Stopwatch.GetElapsedTime(started) > maxWait * 1.5)
            throw ApiException.NotSent(path, $"{Stopwatch.GetElapsedTime(started).TotalSeconds:0.#} s went before sending, "
                + $"more than the {(maxWait * 1.5).TotalSeconds:0.#} s the attempt allows");
        var response = await base.SendAsync(request, ct);
        if (checkedAt is { } at) spreads.Observe(bucket.Key, time.GetElapsedTime(at));
        return response;
    }

    /// <summary>
    /// Asks again when the check says a departure leaves the span or the pause ends (no polling at a fixed interval);
    /// a pause that outlasts the wait fails the attempt as throttled and certainly not sent.
    /// </summary>
    private async Task<long?> DepartAsync(string path, RateBucket bucket, CancellationToken ct)
    {
        if (bucket.Spacing is null) return null;
        var until = time.GetUtcNow() + maxWait;
        while (true)
        {
            var checkedAt = time.GetTimestamp(); // before the check: the departure it records lies after this
            var departure = await limiter!.DepartAsync(bucket, spreads.Report(bucket.Key));
            if (departure.Wait <= TimeSpan.Zero) return checkedAt;
            if (time.GetUtcNow() + departure.Wait > until)
                throw departure.PausedUntil is { } paused ? ApiException.Paused(path, paused)
                    : ApiException.NotSent(path, $"no departure within {maxWait.TotalSeconds:0.#} s");
            await Task.Delay(departure.Wait, time, ct);
        }
    }

    /// <summary>
    /// A wait cut short (the attempt's timeout, a shutdown) or a limiter that failed (Redis away, failing over) happened
    /// before sending: the call certainly was not made, and must not be taken for one whose outcome is unknown.
    /// </summary>
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
        catch (Exception e) when (e is not ApiException)
        {
            throw ApiException.NotSent(path, $"the rate limiter failed before sending ({e.GetType().Name})", e);
        }
    }
}
