using System.Collections.Concurrent;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Messaging;

public record RebuildProbeSent(string Id);

/// <summary>
/// A broker rebuilt under a running publisher (stopped, its data wiped, started again) comes back without the
/// consumers' queues, whose bindings were its definitions. The events published after it is back reach no queue:
/// every one the publisher confirmed is in the catch-all queue, none was confirmed and dropped.
/// </summary>
[Collection("drills")]
public class BrokerRebuiltTests
{
    [Fact]
    public async Task Events_published_after_a_rebuilt_broker_came_back_are_kept_in_the_catch_all_queue()
    {
        await using var rabbit = await DisposableRabbitMq.StartAsync();
        await using var publisher = UnroutedEventsTests.NewPublisher(out _, rabbit.Uri);
        var tap = await AmqpTap.BindAsync(rabbit.Uri, "wecombridge.rebuild-probe-sent"); // a CRM's queue
        await publisher.PublishAsync(typeof(RebuildProbeSent), "before", UnroutedEventsTests.Body("before"), CancellationToken.None);
        Assert.Single(await Eventually.Get(tap.ReadAsync, m => m.Count == 1, what: "the event on the CRM's queue"));
        await tap.CloseAsync(deleteQueue: false);

        var stream = new Stream(publisher);
        var running = stream.RunAsync();
        await rabbit.StopAsync();
        stream.Stopped = true; // what starts from now on can only be confirmed by the rebuilt broker
        Directory.Delete(rabbit.DataFolder, recursive: true);
        await rabbit.StartAgainAsync();
        await Eventually.True(() => stream.ConfirmedAfterStop.Count >= 20, TimeSpan.FromSeconds(60), "20 events confirmed after the rebuild");
        await stream.StopAsync(running);

        await using var broker = await Broker.OpenAsync(rabbit.Uri);
        var kept = (await broker.DrainAsync(publisher.UnroutedQueue)).Select(m => m.BasicProperties.MessageId!).ToHashSet();
        Assert.All(stream.ConfirmedAfterStop, id => Assert.Contains(id, kept));
    }

    /// <summary>The running publisher: one event after another, paced, whatever the broker does.</summary>
    private sealed class Stream(WecomBridge.Messaging.RabbitMqMessagePublisher publisher)
    {
        private readonly CancellationTokenSource _end = new();

        public volatile bool Stopped;
        public ConcurrentQueue<string> ConfirmedAfterStop { get; } = new();

        public Task RunAsync() => Task.Run(async () =>
        {
            for (var i = 0; !_end.IsCancellationRequested; i++)
            {
                var id = "event-" + i;
                var afterStop = Stopped;
                try
                {
                    await publisher.PublishAsync(typeof(RebuildProbeSent), id, UnroutedEventsTests.Body(id), CancellationToken.None)
                        .WaitAsync(TimeSpan.FromSeconds(5));
                    if (afterStop) ConfirmedAfterStop.Enqueue(id);
                }
                catch (Exception)
                {
                    // the broker is away or coming back: not confirmed, so the gateway would spool it
                }
                await Task.Delay(20, CancellationToken.None); // the stream's pace, not a wait for a condition
            }
        });

        public async Task StopAsync(Task running)
        {
            await _end.CancelAsync();
            await running;
            _end.Dispose();
        }
    }
}
