using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using WecomBridge.Observability.Health;

namespace WecomBridge.WeCom.Tokens;

/// <summary>How to get one token: its cache key (no secret in it), the API path (for errors) and the fetch.</summary>
internal sealed record TokenSource(string Key, string Path, Func<CancellationToken, Task<AccessTokenResponse>> Fetch);

/// <summary>
/// Access tokens shared by every instance. A token is refreshed ahead of expiry by one caller at a time:
/// within a process the callers share one refresh task, across processes they race for a lock in the store;
/// losers keep using the old token while it is valid, or poll the store (bounded) for the winner's.
/// Token values are never logged.
/// </summary>
internal sealed partial class AccessTokenCache(
    IAccessTokenStore store, IOptions<ApiClientOptions> options, TimeProvider time, ApiMetrics metrics, ILogger<AccessTokenCache> logger,
    AccountHealthMarks? marks = null)
{
    /// <summary>A token this close to expiry is not handed out while someone else refreshes it.</summary>
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _flights = new();
    private readonly ApiClientOptions _options = options.Value;

    /// <summary>
    /// The token of a credential. When the store (Redis) fails, the call fails as transient and certainly not sent,
    /// so that the pipeline retries it and the caller sees one kind of failure.
    /// </summary>
    public async Task<string> GetAsync(TokenSource source, CancellationToken ct)
    {
        try
        {
            return await GetSharedAsync(source, ct);
        }
        catch (Exception e) when (e is not ApiException and not OperationCanceledException)
        {
            Log.StoreFailed(logger, source.Key, e.GetType().Name);
            throw ApiException.NotSent(source.Path, "the access token store is unavailable", e);
        }
    }

    /// <summary>Forgets a token the API refused, unless another caller already replaced it.</summary>
    public async Task InvalidateAsync(TokenSource source, string staleValue)
    {
        try
        {
            await store.InvalidateAsync(_options.TokenKeyPrefix + source.Key, staleValue);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.StoreFailed(logger, source.Key, e.GetType().Name); // the retry then meets the stale token and fails
        }
    }

    private async Task<string> GetSharedAsync(TokenSource source, CancellationToken ct)
    {
        var key = _options.TokenKeyPrefix + source.Key;
        var cached = await store.GetAsync(key);
        if (cached is not null && time.GetUtcNow() < cached.RefreshAt) return cached.Value;

        var flight = _flights.GetOrAdd(key, k => new Lazy<Task<string>>(() => RefreshAsync(k, source)));
        try
        {
            return await flight.Value.WaitAsync(ct);
        }
        finally
        {
            _flights.TryRemove(new KeyValuePair<string, Lazy<Task<string>>>(key, flight));
        }
    }

    private async Task<string> RefreshAsync(string key, TokenSource source)
    {
        var owner = Guid.NewGuid().ToString("N");
        var deadline = time.GetUtcNow() + _options.TokenWaitBound;
        while (true)
        {
            var cached = await store.GetAsync(key);
            var now = time.GetUtcNow();
            if (cached is not null && now < cached.RefreshAt) return cached.Value;
            // Should a fetch outlast the lock, a second instance may fetch too: harmless, as gettoken and
            // stable_token answer the same token while it is valid.
            if (await store.TryLockAsync(key, owner, _options.TokenWaitBound))
                return await FetchLockedAsync(key, owner, source);
            // Another instance is refreshing: a token that still works is good enough meanwhile.
            if (cached is not null && now < cached.ExpiresAt - Margin) return cached.Value;
            if (now >= deadline) throw ApiException.NotSent(source.Path, "no access token: another instance's refresh did not finish in time");
            Log.Waiting(logger, source.Key);
            await Task.Delay(_options.TokenPollInterval, time);
        }
    }

    private async Task<string> FetchLockedAsync(string key, string owner, TokenSource source)
    {
        try
        {
            // Double check: the previous lock holder may have stored a fresh token just before we locked.
            var cached = await store.GetAsync(key);
            if (cached is not null && time.GetUtcNow() < cached.RefreshAt) return cached.Value;

            // Not the caller's token: callers that give up must not cancel the refresh others wait for.
            // The fetch is bounded by its pipeline (attempt timeout, bounded retries).
            AccessTokenResponse issued;
            try
            {
                issued = await source.Fetch(CancellationToken.None);
            }
            catch (ApiException e) // readiness explains a broken secret or an untrusted IP per credential
            {
                metrics.TokenFailed(source.Path, e);
                marks?.TokenFailed(source.Key, e);
                throw;
            }
            var now = time.GetUtcNow();
            var lifetime = TimeSpan.FromSeconds(Math.Max(1, issued.ExpiresIn));
            // WeCom answers the same token until it expires: refresh at most halfway through what is left.
            var ahead = lifetime / 2 < _options.TokenRefreshAhead ? lifetime / 2 : _options.TokenRefreshAhead;
            await store.SetAsync(key, new CachedToken(issued.AccessToken, now + lifetime - ahead, now + lifetime), lifetime);
            metrics.TokenRefreshed(source.Path);
            marks?.TokenFetched(source.Key);
            Log.Refreshed(logger, source.Key, issued.ExpiresIn);
            return issued.AccessToken;
        }
        finally
        {
            await store.ReleaseAsync(key, owner);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Access token {Key} refreshed, expires in {ExpiresIn} s")]
        public static partial void Refreshed(ILogger logger, string key, int expiresIn);

        [LoggerMessage(2, LogLevel.Debug, "Access token {Key} is being refreshed elsewhere; waiting")]
        public static partial void Waiting(ILogger logger, string key);

        [LoggerMessage(3, LogLevel.Warning, "Access token store failed for {Key}: {Error}")]
        public static partial void StoreFailed(ILogger logger, string key, string error);
    }
}
