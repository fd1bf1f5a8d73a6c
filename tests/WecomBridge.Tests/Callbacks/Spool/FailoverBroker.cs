using System.Collections.Concurrent;
using WecomBridge.Messaging;

namespace WecomBridge.Tests.Callbacks.Spool;

/// <summary>
/// A broker in a failover, as the forwarder meets it: it stores every publish that reaches it, yet fails them
/// (a nack, a cut confirm) while <see cref="Failing"/> holds; or it is unreachable and stores nothing
/// (<see cref="Unreachable"/>). Counts what it stored per event id: one beyond the first is a copy.
/// </summary>
internal sealed class FailoverBroker : IMessagePublisher
{
    private readonly ConcurrentDictionary<string, int> _stored = new();
    private readonly ConcurrentQueue<string> _attempts = new();

    public volatile bool Failing;
    public volatile bool Unreachable;

    /// <summary>Every publish, in order, by event id.</summary>
    public IReadOnlyList<string> Attempts => [.. _attempts];

    public int Stored(string eventId) => _stored.GetValueOrDefault(eventId);

    public IReadOnlyDictionary<string, int> StoredByEvent => _stored;

    public int Copies => _stored.Values.Sum(n => n - 1);

    public async Task PublishAsync(Type type, string eventId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        _attempts.Enqueue(eventId);
        await Task.Yield(); // publishes overlap, as on the wire
        if (Unreachable) throw new BrokerUnavailableException();
        _stored.AddOrUpdate(eventId, 1, (_, n) => n + 1);
        if (Failing) throw new IOException("nacked"); // stored all the same
    }
}
