using System.Diagnostics;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using WecomBridge.Messaging;

namespace WecomBridge.Bench;

/// <summary>
/// The consumer path of the pool benchmark: the events of contacts [0, count) published as the gateway publishes them
/// (raw JSON on the event's exchange, persistent, confirmed) while the bridge's pool consumers apply them; timed from the
/// first publish until pool.applied_events holds every one.
/// </summary>
internal static class PoolPublisher
{
    private const int Channels = 4, Loops = 16;

    public static async Task<(long Events, double PublishSeconds, double Seconds)> RunAsync(string amqp, string prefix, string database,
        DateTimeOffset now, int count, Process bridge)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(amqp) }.CreateConnectionAsync("bench-pool");
        await WaitForQueueAsync(connection, $"{prefix}.pool.external-contact-added", bridge);
        var options = new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true);
        var channels = new IChannel[Channels];
        for (var c = 0; c < Channels; c++) channels[c] = await connection.CreateChannelAsync(options);
        var properties = new BasicProperties { Persistent = true, ContentType = "application/json" };
        using var events = PoolLoad.Events(Fixtures.Corp, now, 0, count).GetEnumerator();
        var gate = new object();
        long published = 0;
        var clock = Stopwatch.StartNew();
        var loops = Enumerable.Range(0, Loops).Select(loop => Task.Run(async () =>
        {
            while (true)
            {
                object e;
                lock (gate)
                {
                    if (!events.MoveNext()) return;
                    e = events.Current;
                }
                var exchange = BridgeEntityNameFormatter.EventPrefix + "." + BridgeEntityNameFormatter.KebabCase(e.GetType().Name);
                var body = EventJson.Serialize(e);
                await channels[loop % Channels].BasicPublishAsync(exchange, "", mandatory: false, properties, body);
                Interlocked.Increment(ref published);
            }
        })).ToArray();
        await Task.WhenAll(loops);
        var publishSeconds = clock.Elapsed.TotalSeconds;
        Console.Error.WriteLine($"pool: published {published} events in {publishSeconds:F1} s");
        foreach (var channel in channels) await channel.CloseAsync();
        await WaitAppliedAsync(database, published, bridge);
        return (published, publishSeconds, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The bridge declared its pool queues (and bound them to the exchanges) once this one exists.</summary>
    private static async Task WaitForQueueAsync(IConnection connection, string queue, Process bridge)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (bridge.HasExited) throw new InvalidOperationException($"WecomBridge exited with {bridge.ExitCode}");
            await using var channel = await connection.CreateChannelAsync();
            try
            {
                await channel.QueueDeclarePassiveAsync(queue);
                return;
            }
            catch (OperationInterruptedException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
        }
    }

    /// <summary>Polls the count of applied events; fails when it stops moving for two minutes (an error queue filling).</summary>
    private static async Task WaitAppliedAsync(string database, long expected, Process bridge)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pool.applied_events", connection);
        long last = -1;
        var progressAt = DateTime.UtcNow;
        while (true)
        {
            var applied = (long)(await command.ExecuteScalarAsync())!;
            if (applied >= expected) return;
            if (applied != last) (last, progressAt) = (applied, DateTime.UtcNow);
            else if (DateTime.UtcNow - progressAt > TimeSpan.FromMinutes(2))
                throw new TimeoutException($"the pool applied {applied} of {expected} events and stopped");
            if (bridge.HasExited) throw new InvalidOperationException($"WecomBridge exited with {bridge.ExitCode}");
            await Task.Delay(500);
        }
    }
}
