using System.Collections.Concurrent;

namespace WecomBridge.Polling;

/// <summary>Embedded mode: one process, so the lease is always ours.</summary>
internal sealed class InMemoryMomentState : IMomentState
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _watermarks = new();
    private readonly ConcurrentDictionary<string, byte> _seen = new();

    public Task<bool> TryLeaseAsync(string corp, string owner, TimeSpan lease) => Task.FromResult(true);

    public Task<DateTimeOffset?> GetWatermarkAsync(string corp) =>
        Task.FromResult(_watermarks.TryGetValue(corp, out var w) ? w : (DateTimeOffset?)null);

    public Task SetWatermarkAsync(string corp, DateTimeOffset watermark)
    {
        _watermarks[corp] = watermark;
        return Task.CompletedTask;
    }

    public Task<bool> IsPublishedAsync(string corp, string momentId) => Task.FromResult(_seen.ContainsKey($"{corp}:{momentId}"));

    public Task MarkPublishedAsync(string corp, string momentId)
    {
        _seen[$"{corp}:{momentId}"] = 0;
        return Task.CompletedTask;
    }
}
