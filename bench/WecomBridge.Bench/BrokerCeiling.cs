using RabbitMQ.Client;

namespace WecomBridge.Bench;

/// <summary>
/// The broker's ceiling with RabbitMQ.Client alone: persistent ~1 KB publishes to a durable queue,
/// publisher confirms with tracking, each publish awaited by one of `inFlight` loops spread over `channels`.
/// </summary>
internal static class BrokerCeiling
{
    public const string Queue = "bench.ceiling";

    public static async Task<LoadResult> RunAsync(string amqp, int inFlight, int channelCount, int maxCount, TimeSpan maxTime, string? timeline = null, bool drain = false)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(amqp) }.CreateConnectionAsync("bench-ceiling");
        await using (var setup = await connection.CreateChannelAsync())
        {
            await setup.QueueDeclareAsync(Queue, durable: true, exclusive: false, autoDelete: false, arguments: QueueArguments.Get());
            await setup.QueuePurgeAsync(Queue);
        }
        var options = new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true);
        var channels = new IChannel[channelCount];
        for (var c = 0; c < channelCount; c++) channels[c] = await connection.CreateChannelAsync(options);
        await using var consumer = drain ? await Drain.StartAsync(amqp, Queue) : null;

        var body = new byte[1024];
        Random.Shared.NextBytes(body);
        var properties = new BasicProperties { Persistent = true, ContentType = "application/json" };
        var result = await ClosedLoop.RunAsync($"broker-{inFlight}x{channelCount}", maxCount, inFlight, maxTime, async (_, loop) =>
        {
            await channels[loop % channelCount].BasicPublishAsync("", Queue, mandatory: false, properties, body); // returns once confirmed
            return 200;
        }, timeline);
        foreach (var channel in channels) await channel.CloseAsync();
        await using (var cleanup = await connection.CreateChannelAsync())
            await cleanup.QueueDeleteAsync(Queue);
        return result;
    }

    /// <summary>Declares a durable queue bound to the event's exchange, so that published events are stored as in production.</summary>
    public static async Task BindAsync(string amqp, string exchange, string queue)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(amqp) }.CreateConnectionAsync("bench-bind");
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: QueueArguments.Get());
        await channel.QueueBindAsync(queue, exchange, routingKey: "");
        var purged = await channel.QueuePurgeAsync(queue);
        Console.WriteLine($"bound {queue} to {exchange} (purged {purged})");
    }
}
