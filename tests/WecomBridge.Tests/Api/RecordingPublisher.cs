using System.Collections.Concurrent;
using System.Text.Json;
using WecomBridge.Messaging;

namespace WecomBridge.Tests.Api;

/// <summary>Keeps every published event (type, event id and JSON) in memory; can play a broker that fails or never confirms.</summary>
internal sealed class RecordingPublisher : IMessagePublisher
{
    private readonly ConcurrentQueue<(Type Type, string EventId, JsonElement Json)> _events = new();

    /// <summary>When set, every publish fails with it.</summary>
    public Exception? FailWith { get; set; }

    /// <summary>When set, no publish is ever confirmed.</summary>
    public bool Hang { get; set; }

    /// <summary>When set, a publish is kept (it reached the broker) but confirmed only when this task ends.</summary>
    public Func<string, Task>? BeforeConfirm { get; set; }

    public Task PublishAsync(Type type, string eventId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (FailWith is { } failure) return Task.FromException(failure);
        if (Hang) return new TaskCompletionSource().Task;
        _events.Enqueue((type, eventId, JsonDocument.Parse(body).RootElement.Clone()));
        return BeforeConfirm is { } confirm ? confirm(eventId) : Task.CompletedTask;
    }

    public IReadOnlyList<JsonElement> Of<T>() => _events.Where(e => e.Type == typeof(T)).Select(e => e.Json).ToArray();

    public IReadOnlyList<string> EventIds => _events.Select(e => e.EventId).ToArray();

    public int Count => _events.Count;

    public IReadOnlyList<Type> Types => _events.Select(e => e.Type).ToArray();
}
