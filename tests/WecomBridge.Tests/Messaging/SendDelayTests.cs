using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using RabbitMQ.Client;
using WecomBridge.Contracts.Sending;
using WecomBridge.Messaging;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Messaging;

/// <summary>
/// The send delays on the shared connection, unchanged for deployed brokers: durable queues
/// `{sendQueue}.delay-{n}s` with one TTL each, dead-lettering into the send queue through the default exchange.
/// </summary>
public class SendDelayTests
{
    [Theory]
    [InlineData(0.2, 1)]
    [InlineData(1, 1)]
    [InlineData(4.9, 1)]
    [InlineData(5, 5)]
    [InlineData(45, 30)]
    [InlineData(300, 120)]
    [InlineData(3000, 600)]
    [InlineData(86400, 3600)]
    public void A_delay_goes_to_the_longest_tier_that_fits(double seconds, int tier)
    {
        Assert.Equal(tier, RabbitMqSendScheduler.TierFor(TimeSpan.FromSeconds(seconds)));
        Assert.Equal($"q.delay-{tier}s", RabbitMqSendScheduler.QueueOf("q", tier));
    }

    [Fact]
    public async Task A_delayed_send_waits_in_its_tier_queue_then_comes_back_to_the_send_queue_unchanged()
    {
        var sendQueue = "delay-test-" + Guid.NewGuid().ToString("N")[..8] + ".send";
        await using var broker = await Broker.OpenAsync(TestServers.RabbitMq);
        await broker.Channel.QueueDeclareAsync(sendQueue, durable: false, exclusive: false, autoDelete: false);
        await using var connection = new RabbitMqConnection(new Uri(TestServers.RabbitMq), NullLogger.Instance);
        await using var scheduler = new RabbitMqSendScheduler(connection, sendQueue);
        var send = new SendRequested(Guid.NewGuid().ToString("N"), "customer-task", "corp", null, null, DateTimeOffset.UnixEpoch);
        try
        {
            await scheduler.ScheduleAsync(send, TimeSpan.FromSeconds(1.5), CancellationToken.None);

            Assert.True(await broker.QueueExistsAsync(sendQueue + ".delay-1s"));
            // The deployed arguments: a redeclare with exactly these succeeds (other arguments would fail with 406).
            await using (var channel = await (await connection.OpenAsync(CancellationToken.None)).CreateChannelAsync())
                await channel.QueueDeclareAsync(sendQueue + ".delay-1s", durable: true, exclusive: false, autoDelete: false, new Dictionary<string, object?>
                {
                    ["x-message-ttl"] = 1000, ["x-dead-letter-exchange"] = "", ["x-dead-letter-routing-key"] = sendQueue,
                });
            var back = await Eventually.Get(() => broker.Channel.BasicGetAsync(sendQueue, autoAck: true), m => m is not null, what: "the send back on its queue");
            Assert.Equal(send.MessageId, back!.BasicProperties.MessageId);
            Assert.Equal(nameof(SendRequested), back.BasicProperties.Type);
            Assert.True(back.BasicProperties.Persistent);
            Assert.Equal(send, JsonSerializer.Deserialize<SendRequested>(back.Body.Span, EventJson.Options));
        }
        finally
        {
            await broker.Channel.QueueDeleteAsync(sendQueue + ".delay-1s");
            await broker.Channel.QueueDeleteAsync(sendQueue);
        }
    }
}
