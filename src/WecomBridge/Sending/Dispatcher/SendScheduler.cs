using MassTransit;
using WecomBridge.Contracts.Sending;

namespace WecomBridge.Sending.Dispatcher;

/// <summary>
/// Delayed redelivery of a send (quiet hours, a full or paused rate limit, a retry): the command comes back to the
/// send queue after the delay, never in a hot loop. RabbitMQ (TTL queues that dead-letter into the send queue) or,
/// in embedded mode, a timer in process.
/// </summary>
internal interface ISendScheduler
{
    Task ScheduleAsync(SendRequested send, TimeSpan delay, CancellationToken ct);
}

/// <summary>Embedded mode: a timer publishes the command again (lost if the process stops, like everything in memory).</summary>
internal sealed class InMemorySendScheduler(IBus bus, TimeProvider time, ILogger<InMemorySendScheduler> logger) : ISendScheduler
{
    public Task ScheduleAsync(SendRequested send, TimeSpan delay, CancellationToken ct)
    {
        _ = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(delay, time);
                await bus.Publish(send);
            }
            catch (Exception e)
            {
                logger.LogError(e, "Delayed send {MessageId} could not be published again", send.MessageId);
            }
        }, CancellationToken.None);
        return Task.CompletedTask;
    }
}
