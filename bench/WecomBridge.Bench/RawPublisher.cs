using RabbitMQ.Client;

namespace WecomBridge.Bench;

/// <summary>
/// RabbitMQ.Client 7 alone publishing given bodies (persistent, confirms tracked, each publish awaited)
/// to the event exchange the gateway publishes to, `concurrency` loops over `channelCount` channels.
/// </summary>
internal static class RawPublisher
{
    public const string Exchange = "wecombridge.external-contact-added";

    public static async Task<LoadResult> RunAsync(string name, string amqp, int channelCount, int concurrency, TimeSpan maxTime, byte[][] bodies)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(amqp) }.CreateConnectionAsync("bench-raw");
        var options = new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true);
        var channels = new IChannel[channelCount];
        for (var c = 0; c < channelCount; c++) channels[c] = await connection.CreateChannelAsync(options);
        var properties = new BasicProperties { Persistent = true, ContentType = "application/json", Type = "ExternalContactAdded" };
        var result = await ClosedLoop.RunAsync(name, bodies.Length, concurrency, maxTime, async (i, loop) =>
        {
            await channels[loop % channelCount].BasicPublishAsync(Exchange, "", mandatory: false, properties, bodies[i]);
            return 200;
        });
        foreach (var channel in channels) await channel.CloseAsync();
        return result;
    }
}
