using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using WecomBridge.Messaging;
using WecomBridge.Sending.Dispatcher;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Messaging;

/// <summary>
/// One RabbitMQ.Client connection in the app (beside MassTransit's): the publisher, the send delays and the
/// readiness entry `rabbitmq` use it; the check leaves it open and fails at once when the broker is away.
/// </summary>
public class SharedConnectionTests
{
    [Fact]
    public async Task The_publisher_the_send_delays_and_the_readiness_check_use_the_one_shared_connection()
    {
        await using var app = new BridgeApp(BridgeApp.WithServers());
        var services = app.Services;
        var shared = services.GetRequiredService<RabbitMqConnection>();
        var publisher = Assert.IsType<RabbitMqMessagePublisher>(services.GetRequiredService<IMessagePublisher>());
        Assert.IsType<RabbitMqSendScheduler>(services.GetRequiredService<ISendScheduler>());
        Assert.Same(shared, publisher.Connection);

        var health = services.GetRequiredService<HealthCheckService>();
        var first = await health.CheckHealthAsync(c => c.Name == "rabbitmq");
        Assert.Equal(HealthStatus.Healthy, first.Entries["rabbitmq"].Status);
        var connection = await shared.OpenAsync(CancellationToken.None);
        var again = await health.CheckHealthAsync(c => c.Name == "rabbitmq");
        Assert.Equal(HealthStatus.Healthy, again.Entries["rabbitmq"].Status);

        Assert.True(connection.IsOpen); // the check did not close or replace the shared connection
        Assert.Same(connection, await shared.OpenAsync(CancellationToken.None));
        await publisher.PublishAsync(typeof(SharedConnectionProbeSent), "after-check", JsonSerializer.SerializeToUtf8Bytes(new { id = "x" }), CancellationToken.None);
        Assert.Same(connection, await shared.OpenAsync(CancellationToken.None));
    }

    [Fact]
    public async Task The_readiness_check_reports_rabbitmq_unhealthy_when_no_broker_listens()
    {
        var settings = BridgeApp.WithServers(rabbitMq: $"amqp://guest:guest@127.0.0.1:{TestServers.FreePort()}/");
        await using var app = new BridgeApp(settings);
        var health = app.Services.GetRequiredService<HealthCheckService>();

        var report = await health.CheckHealthAsync(c => c.Name == "rabbitmq");

        Assert.Equal(HealthStatus.Unhealthy, report.Entries["rabbitmq"].Status);
        Assert.Contains("ready", report.Entries["rabbitmq"].Tags);
    }
}

// An event type of these tests alone.
public record SharedConnectionProbeSent(string Id);
