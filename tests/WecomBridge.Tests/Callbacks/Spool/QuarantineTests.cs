using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using RabbitMQ.Client;
using WecomBridge.Callbacks.Spool;
using WecomBridge.Messaging;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Callbacks.Spool;

/// <summary>
/// Each kind of permanent refusal, against a broker of the test's own, with good events spooled around the refused
/// ones: an exchange pre-declared with another type (406), a message over the broker's max_message_size (406), and a
/// stored type that no longer resolves to a contract. The refused events go to the quarantine; the rest flow.
/// </summary>
[Collection("drills")]
public class QuarantineTests : IDisposable
{
    private readonly SpoolFolder _folder = new();
    private readonly string _tag = Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Events_the_broker_refuses_for_good_are_quarantined_and_the_rest_flow()
    {
        await using var broker = await DisposableRabbitMq.StartAsync();
        await SetMaxMessageSizeAsync(broker.Port, 4096); // before the publisher opens its channels
        await using (var admin = await new ConnectionFactory { Uri = new Uri(broker.Uri) }.CreateConnectionAsync())
        await using (var channel = await admin.CreateChannelAsync())
            await channel.ExchangeDeclareAsync("wecombridge.external-contact-edited", ExchangeType.Direct, durable: true);
        await using var tap = await AmqpTap.BindAsync(broker.Uri, "wecombridge.external-contact-added");

        using var spool = _folder.Open();
        var good = new List<string>();
        var refused = new Dictionary<string, string>();
        for (var i = 0; i < 300; i++)
        {
            var e = SpoolFolder.Added(_tag, i);
            (string Type, string EventId, byte[] Body) bad = (i % 100) switch
            {
                10 => SpoolFolder.Edited(_tag, i), // its exchange exists with another type
                20 => (e.Type, Guid.NewGuid().ToString("N"), Padded(e.Body, 6000)), // over max_message_size
                30 => ("WecomBridge.Contracts.Contacts.ExternalContactVanished", Guid.NewGuid().ToString("N"), e.Body),
                _ => default,
            };
            if (bad.Type is null)
            {
                good.Add(e.EventId);
                Assert.True(await spool.TryAppendAsync(e.Type, e.EventId, e.Body));
            }
            else
            {
                refused[bad.EventId] = (i % 100) switch { 10 => "exchange 'wecombridge.external-contact-edited'", 20 => "max size 4096", _ => SpoolRefusal.UnknownType };
                Assert.True(await spool.TryAppendAsync(bad.Type, bad.EventId, bad.Body));
            }
        }

        await using var rabbit = new RabbitMqMessagePublisher(new Uri(broker.Uri), NullLogger<RabbitMqMessagePublisher>.Instance);
        using (var forwarder = new SpoolForwarder(spool, rabbit, NullLogger<SpoolForwarder>.Instance))
        {
            await forwarder.StartAsync(CancellationToken.None);
            await Eventually.True(() => spool.Depth == 0, TimeSpan.FromSeconds(90), "the spool drained past the refused events");
            await forwarder.StopAsync(CancellationToken.None);
        }

        var arrived = await Eventually.Get(async () => (await tap.ReadAsync()).Select(m => m.GetProperty("eventId").GetString()!).ToList(),
            m => m.Count >= good.Count, TimeSpan.FromSeconds(30), "the good events on the queue");
        // Every good event, none of the refused. A refusal closes the channel under the publishes in flight on it: one the
        // broker had routed but not yet confirmed is published again (a copy with the same eventId, which consumers dedupe).
        Assert.Equal(good.Order(), arrived.Distinct().Order());
        Assert.Equal(refused.Count, spool.Quarantined);
        var listed = await spool.ListQuarantineAsync(0, 100);
        Assert.Equal(refused.Keys.Order(), listed.Select(q => q.EventId).Order());
        foreach (var q in listed) Assert.Contains(refused[q.EventId], q.Reason);

        var health = await new SpoolHealthCheck(spool).CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Contains($"{refused.Count} events quarantined", health.Description);
    }

    private static byte[] Padded(byte[] json, int size)
    {
        var text = System.Text.Encoding.UTF8.GetString(json);
        return System.Text.Encoding.UTF8.GetBytes(text[..^1] + ",\"padding\":\"" + new string('x', size) + "\"}");
    }

    private static async Task SetMaxMessageSizeAsync(int port, int bytes)
    {
        var start = new ProcessStartInfo("rabbitmqctl", ["-q", "-n", $"wb-{port}@localhost", "eval", $"application:set_env(rabbit, max_message_size, {bytes})."])
            { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(process.ExitCode == 0, $"rabbitmqctl eval failed: {await stderr}");
    }

    public void Dispose() => _folder.Dispose();
}
