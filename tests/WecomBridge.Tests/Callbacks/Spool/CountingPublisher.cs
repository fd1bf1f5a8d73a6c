using WecomBridge.Messaging;

namespace WecomBridge.Tests.Callbacks.Spool;

/// <summary>A publisher in front of the real one that counts publishes in flight at once.</summary>
internal sealed class CountingPublisher(IMessagePublisher inner) : IMessagePublisher
{
    private int _inFlight, _maxInFlight;

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public async Task PublishAsync(Type type, string eventId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var now = Interlocked.Increment(ref _inFlight);
        int max;
        while (now > (max = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, max) != max) { }
        try
        {
            await inner.PublishAsync(type, eventId, body, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
