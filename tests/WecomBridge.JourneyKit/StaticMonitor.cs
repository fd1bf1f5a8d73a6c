using Microsoft.Extensions.Options;

namespace WecomBridge.JourneyKit;

/// <summary>Options that never change, for services built by hand.</summary>
internal sealed class StaticMonitor<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue => value;
    public T Get(string? name) => value;
    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
