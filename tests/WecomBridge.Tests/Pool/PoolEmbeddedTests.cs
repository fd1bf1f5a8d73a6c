using System.Net;
using System.Net.Http.Json;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WecomBridge.Pool;
using WecomBridge.Tests.Api;
using WecomBridge.Tests.Infrastructure;
using static WecomBridge.Tests.Pool.PoolEvents;

namespace WecomBridge.Tests.Pool;

/// <summary>Without PostgreSQL and RabbitMQ (`dotnet run` with nothing installed) the pool is in memory and works the same.</summary>
public sealed class PoolEmbeddedTests
{
    [Fact]
    public async Task The_embedded_mode_keeps_the_pool_in_memory_and_names_when_configured()
    {
        await using var app = new ApiApp(settings: new Dictionary<string, string?> { ["Pool:StoreNames"] = "true" });
        Assert.IsType<InMemoryPoolStore>(app.Factory.Services.GetRequiredService<IPoolStore>());

        await app.Factory.Services.GetRequiredService<IBus>().Publish(Snapshot("wmE", 1, null, "Named Person", Follow("lisi", 0, "qr")));
        var contact = await Eventually.Get(async () => await app.Client().GetAsync("/api/v1/pool/acme/contacts/wmE") is { StatusCode: HttpStatusCode.OK } r
            ? await r.Content.ReadFromJsonAsync<PoolContact>() : null, c => c is not null, what: "the contact");

        Assert.Equal("Named Person", contact!.Name);
        Assert.DoesNotContain("Named Person", app.App.Logs.All);
    }

    [Fact]
    public async Task With_RabbitMQ_and_no_PostgreSQL_the_pool_is_off_unless_asked_for()
    {
        await using var app = new ApiApp(settings: new Dictionary<string, string?>
        {
            ["ConnectionStrings:RabbitMq"] = TestServers.RabbitMq,
            ["Messaging:WaitUntilStarted"] = "true",
        });

        Assert.Null(app.Factory.Services.GetService<IPoolStore>());
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client().GetAsync("/api/v1/pool/acme/contacts")).StatusCode);
    }

    [Fact]
    public void Asking_for_the_pool_with_RabbitMQ_and_no_PostgreSQL_is_a_configuration_error()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(
            new Dictionary<string, string?> { ["ConnectionStrings:RabbitMq"] = "amqp://localhost/" }).Build();

        var result = new PoolOptionsValidator((IConfiguration)configuration).Validate(null, new PoolOptions { Enabled = true, MaxPageSize = 0 });

        Assert.Contains(result.Failures!, f => f.StartsWith("Pool:Enabled is true with RabbitMQ", StringComparison.Ordinal));
        Assert.Contains("Pool:MaxPageSize must be 1–10000", result.Failures!);
    }
}
