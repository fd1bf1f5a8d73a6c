using System.Text;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;
using WecomBridge.Messaging;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Messaging;

public record WiringProbePublished(string ProbeId, int Number);

public class RabbitMqWiringTests
{
    [Fact]
    public async Task A_message_published_through_the_apps_bus_arrives_as_raw_json_for_a_plain_amqp_client()
    {
        await using var app = new BridgeApp(BridgeApp.WithServers());
        _ = app.Services; // start the host and its bus
        var exchange = BridgeEntityNameFormatter.ExchangeName(typeof(WiringProbePublished));
        Assert.Equal("wecombridge.wiring-probe-published", exchange);

        // A consumer that knows nothing of MassTransit: declare, bind, read.
        var factory = new ConnectionFactory { Uri = new Uri(TestServers.RabbitMq) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true);
        var queue = (await channel.QueueDeclareAsync(exclusive: true)).QueueName;
        await channel.QueueBindAsync(queue, exchange, "");

        var probe = new WiringProbePublished(Guid.NewGuid().ToString("N"), 42);
        await app.Services.GetRequiredService<IPublishEndpoint>().Publish(probe);

        var message = await Eventually.Get(() => channel.BasicGetAsync(queue, autoAck: true), m => m is not null, what: "message on the queue");
        Assert.Equal("application/json", message!.BasicProperties.ContentType);
        var body = JsonDocument.Parse(Encoding.UTF8.GetString(message.Body.Span)).RootElement;
        Assert.Equal(probe.ProbeId, body.GetProperty("probeId").GetString());
        Assert.Equal(42, body.GetProperty("number").GetInt32());
    }

    [Theory]
    [InlineData("ExternalContactAdded", "external-contact-added")]
    [InlineData("GroupChatUpdated", "group-chat-updated")]
    [InlineData("MenuClicked", "menu-clicked")]
    [InlineData("UnrecognizedCallbackReceived", "unrecognized-callback-received")]
    [InlineData("OAFollowerScanned", "oa-follower-scanned")]
    public void Exchange_names_are_kebab_case(string typeName, string expected)
    {
        Assert.Equal(expected, BridgeEntityNameFormatter.KebabCase(typeName));
    }
}
