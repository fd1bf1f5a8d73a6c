using System.Collections.Concurrent;
using WecomBridge.WeCom;

namespace WecomBridge.Observability.Health;

/// <summary>
/// Records what the readiness detail explains: each token fetch's outcome (by the token's cache key: corp or AppID
/// and a hash of the secret) and when each callback source was last heard from. Writes never hold the caller up
/// and never fail it; a callback source is written at most every <see cref="CallbackEvery"/> per instance.
/// </summary>
internal sealed partial class AccountHealthMarks(IAccountHealthStore store, TimeProvider time, ILogger<AccountHealthMarks> logger)
{
    public static readonly TimeSpan CallbackEvery = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, long> _written = new(StringComparer.Ordinal);

    public static string TokenField(string tokenKey, bool ok) => $"token:{tokenKey}:{(ok ? "ok" : "fail")}";

    public static string CallbackField(string channel, string owner, string? app, bool ok) =>
        $"callback:{channel}:{owner}{(app is null ? "" : ":" + app)}:{(ok ? "ok" : "fail")}";

    public void TokenFetched(string tokenKey) => Write(TokenField(tokenKey, true), new(Now, true));

    public void TokenFailed(string tokenKey, ApiException e) =>
        Write(TokenField(tokenKey, false), new(Now, false, e.ErrCode ?? e.HttpStatus, e.Class.ToString()));

    /// <summary>A verified callback (accepted) or one refused after its source was known (with the reason, no payload).</summary>
    public void Callback(string channel, string owner, string? app, bool accepted, string? reason = null)
    {
        var field = CallbackField(channel, owner, app, accepted);
        var now = Now;
        var last = _written.GetOrAdd(field, long.MinValue);
        if (last != long.MinValue && now - last < (long)CallbackEvery.TotalMilliseconds) return;
        if (!_written.TryUpdate(field, now, last)) return;
        Write(field, new(now, accepted, null, reason));
    }

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    private void Write(string field, HealthMark mark) => _ = WriteAsync(field, mark);

    private async Task WriteAsync(string field, HealthMark mark)
    {
        try
        {
            await store.SetAsync(field, mark);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.NotWritten(logger, field, e.GetType().Name);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Health mark {Field} not written ({Error})")]
        public static partial void NotWritten(ILogger logger, string field, string error);
    }
}
