using WecomBridge.Messaging;

namespace WecomBridge.Tests.Journeys.Drills;

/// <summary>
/// Stands for a runner's process killed right after the broker confirmed one of its sends: the first
/// <paramref name="sendsBeforeDeath"/> publishes return; the next one is published and confirmed, then never returns,
/// so the runner neither records that step nor releases the rest of its batch (its clock is never moved either).
/// </summary>
internal sealed class DyingPublisher(int sendsBeforeDeath)
{
    private readonly TaskCompletionSource _never = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int _sendsBeforeDeath = sendsBeforeDeath;
    private int _published;

    /// <summary>The last send reached the broker and its runner is stuck for good.</summary>
    public bool Dead => Volatile.Read(ref _published) > _sendsBeforeDeath;

    public IMessagePublisher Wrap(IMessagePublisher inner) => new Publisher(this, inner);

    private sealed class Publisher(DyingPublisher owner, IMessagePublisher inner) : IMessagePublisher
    {
        public async Task PublishAsync(Type type, string eventId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
        {
            if (owner.Dead) await owner._never.Task;
            await inner.PublishAsync(type, eventId, body, cancellationToken);
            if (Interlocked.Increment(ref owner._published) > owner._sendsBeforeDeath) await owner._never.Task;
        }
    }
}
