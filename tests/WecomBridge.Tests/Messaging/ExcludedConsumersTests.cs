using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using WecomBridge.Enrichment;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Messaging;

/// <summary>
/// `Enrichment:Enabled=false`: a gateway that takes callbacks but runs no enrichment consumer, so that its events
/// are not routed to enrichment queues it would consume itself (e.g. the bench, or a callbacks-only tier).
/// </summary>
public class ExcludedConsumersTests
{
    [Fact]
    public void The_switch_covers_every_enrichment_consumer()
    {
        var consumers = typeof(Program).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IConsumer).IsAssignableFrom(t)
                && t.Namespace == typeof(EnrichmentOptions).Namespace)
            .ToHashSet();
        Assert.NotEmpty(consumers);
        Assert.Equal(consumers, EnrichmentExtensions.Consumers.ToHashSet());
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("true", true)]
    [InlineData("false", false)]
    public async Task A_gateway_declares_its_enrichment_queues_unless_enrichment_is_switched_off(string? enabled, bool queueExpected)
    {
        var prefix = $"test-{Guid.NewGuid():N}"[..13];
        var settings = BridgeApp.WithServers();
        settings["Bridge:Roles:0"] = "Gateway";
        settings["Messaging:EndpointPrefix"] = prefix;
        settings["Enrichment:QueuePrefix"] = prefix + ".enrich.";
        if (enabled is not null) settings["Enrichment:Enabled"] = enabled;
        await using var app = new BridgeApp(settings);
        var bus = app.Services.GetRequiredService<IBusControl>(); // starts the host and its bus
        await Eventually.True(() => bus.CheckHealth().Status == BusHealthStatus.Healthy, what: "bus started");

        var queue = prefix + ".enrich.external-contact-added";
        if (queueExpected) await Eventually.True(() => QueueExistsAsync(queue), what: queue);
        else Assert.False(await QueueExistsAsync(queue), $"{queue} was declared");
    }

    private static async Task<bool> QueueExistsAsync(string queue)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(TestServers.RabbitMq) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            await channel.QueueDeclarePassiveAsync(queue);
            return true;
        }
        catch (OperationInterruptedException)
        {
            return false;
        }
    }
}
