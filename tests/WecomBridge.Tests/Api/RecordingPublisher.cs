using System.Collections.Concurrent;
using System.Text.Json;
using WecomBridge.Messaging;

namespace WecomBridge.Tests.Api;

/// <summary>Keeps every published event (type and JSON) in memory.</summary>
internal sealed class RecordingPublisher : IEventPublisher
{
    private readonly ConcurrentQueue<(Type Type, JsonElement Json)> _events = new();

    public Task PublishAsync(Type type, string eventId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        _events.Enqueue((type, JsonDocument.Parse(body).RootElement.Clone()));
        return Task.CompletedTask;
    }

    public IReadOnlyList<JsonElement> Of<T>() => _events.Where(e => e.Type == typeof(T)).Select(e => e.Json).ToArray();
}
