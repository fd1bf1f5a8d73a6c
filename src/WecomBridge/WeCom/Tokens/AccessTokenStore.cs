namespace WecomBridge.WeCom.Tokens;

/// <summary>A cached access token: used until <see cref="ExpiresAt"/>, refreshed from <see cref="RefreshAt"/>.</summary>
internal sealed record CachedToken(string Value, DateTimeOffset RefreshAt, DateTimeOffset ExpiresAt)
{
    public override string ToString() => $"CachedToken {{ RefreshAt = {RefreshAt:O}, ExpiresAt = {ExpiresAt:O} }}";
}

/// <summary>
/// Where tokens and their refresh locks live: Redis (shared by every instance) or in memory (one process).
/// </summary>
internal interface IAccessTokenStore
{
    Task<CachedToken?> GetAsync(string key);
    Task SetAsync(string key, CachedToken token, TimeSpan ttl);

    /// <summary>Deletes the token only if it is still <paramref name="staleValue"/>: a newer one is kept.</summary>
    Task InvalidateAsync(string key, string staleValue);

    /// <summary>Takes the refresh lock of a key for <paramref name="ttl"/>; false when someone else holds it.</summary>
    Task<bool> TryLockAsync(string key, string owner, TimeSpan ttl);

    /// <summary>Frees the lock only if <paramref name="owner"/> still holds it.</summary>
    Task ReleaseAsync(string key, string owner);
}
