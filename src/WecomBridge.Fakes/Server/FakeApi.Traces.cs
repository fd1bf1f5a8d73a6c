namespace WecomBridge.Fakes.Server;

/// <summary>The W3C trace context the caller sent with each call, read from WireMock's request log.</summary>
public abstract partial class FakeApi
{
    /// <summary>Each logged call's path and its `traceparent` header (null when it sent none), in arrival order.</summary>
    public IReadOnlyList<(string Path, string? TraceParent)> TraceParents => _server.LogEntries
        .Where(e => e.RequestMessage is not null)
        .Select(e => (e.RequestMessage!.Path,
            e.RequestMessage.Headers is { } h && h.TryGetValue("traceparent", out var v) ? v.FirstOrDefault() : null))
        .ToArray();
}
