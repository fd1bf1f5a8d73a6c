using System.Net;
using System.Text.Json;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Hosting;

public class ReadinessTests
{
    [Fact]
    public async Task Ready_with_both_servers_and_not_ready_once_rabbitmq_stops()
    {
        await using var broker = await DisposableRabbitMq.StartAsync();
        await using var app = new BridgeApp(BridgeApp.WithServers(rabbitMq: broker.Uri));
        var http = app.CreateClient();

        var ready = await Eventually.Get(() => http.GetAsync("/health/ready"), r => r.StatusCode == HttpStatusCode.OK, what: "ready");
        var checks = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("redis").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("rabbitmq").GetProperty("status").GetString());

        await broker.StopAsync();

        var notReady = await Eventually.Get(() => http.GetAsync("/health/ready"),
            r => r.StatusCode == HttpStatusCode.ServiceUnavailable, what: "not ready after RabbitMQ stopped");
        checks = JsonDocument.Parse(await notReady.Content.ReadAsStringAsync()).RootElement.GetProperty("checks");
        Assert.Equal("Unhealthy", checks.GetProperty("rabbitmq").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task Not_ready_when_redis_is_unreachable()
    {
        var deadRedis = $"127.0.0.1:{TestServers.FreePort()},connectTimeout=500";
        await using var app = new BridgeApp(BridgeApp.WithServers(redis: deadRedis));
        var http = app.CreateClient();

        var response = await Eventually.Get(() => http.GetAsync("/health/ready"),
            r => r.StatusCode == HttpStatusCode.ServiceUnavailable, what: "not ready");
        var checks = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("checks");
        Assert.Equal("Unhealthy", checks.GetProperty("redis").GetProperty("status").GetString());
    }
}
