using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WecomBridge.Fakes;
using WecomBridge.Pool;
using WecomBridge.Sending.Status;
using WecomBridge.Tests.Infrastructure;
using WecomBridge.Tests.Pool;
using WecomBridge.Tests.Sending.Dispatcher;

namespace WecomBridge.Tests.Sending.Audience;

/// <summary>The embedded mode (no RabbitMQ, no Redis, the pool in memory) expands audiences the same way.</summary>
public sealed class AudienceEmbeddedTests
{
    [Fact]
    public async Task In_quiet_hours_the_tasks_of_an_audience_are_deferred_to_their_end_not_lost()
    {
        using var wecom = WeComFake.Start();
        using var oa = OfficialAccountFake.Start();
        var now = DateTimeOffset.UtcNow;
        var settings = DispatcherApp.Settings(wecom.BaseUrl, oa.BaseUrl, "embedded");
        foreach (var (key, value) in AudienceSeed.Settings("acme", null, pageSize: 1)) settings[key] = value;
        settings["Dispatch:Defaults:TimeZone"] = "UTC";
        settings["Dispatch:Defaults:QuietHours:Enabled"] = "true";
        settings["Dispatch:Defaults:QuietHours:Start"] = now.AddHours(-1).ToString("HH:mm", CultureInfo.InvariantCulture);
        settings["Dispatch:Defaults:QuietHours:End"] = now.AddHours(1).ToString("HH:mm", CultureInfo.InvariantCulture);
        await using var app = new BridgeApp(settings);
        var store = app.Services.GetRequiredService<IPoolStore>();
        var projection = app.Services.GetRequiredService<PoolProjection>();
        foreach (var e in new[] { PoolEvents.Added("wmQuiet1", "zhangsan", 0), PoolEvents.Added("wmQuiet2", "lisi", 0) })
            await store.ApplyAsync(PoolProjection.EventId(e), projection.Map(e)!);
        AudienceSeed.Fake(wecom, new Seeded("wmQuiet1", ("zhangsan", 1)), new Seeded("wmQuiet2", ("lisi", 1)));
        using var client = AudienceSeed.Client(app);

        var location = await AudienceSeed.PostAsync(client, "acme", """{"filter":{"all":[]}}""");
        var status = await Eventually.Get(async () => await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<JsonElement>(
            client, location), s => s.TryGetProperty("audience", out var a) && a.ValueKind == JsonValueKind.Object
                && a.GetProperty("deferred").GetInt64() == 2, what: location);

        Assert.Equal(SendStates.Sent, status.GetProperty("status").GetString());
        var audience = status.GetProperty("audience");
        Assert.Equal(2, audience.GetProperty("matched").GetInt64());
        Assert.Equal(2, audience.GetProperty("tasks").GetInt32());
        Assert.Equal(2, audience.GetProperty("pages").GetInt32());
        Assert.Empty(wecom.Data.MsgTemplates);
        var messageId = status.GetProperty("messageId").GetString()!;
        var task = await app.Services.GetRequiredService<ISendStatusStore>().GetAsync(
            WecomBridge.Sending.Audience.AudienceTasks.Id(messageId, 0, "zhangsan"));
        Assert.Equal(SendStates.Deferred, task!.State);
        Assert.Equal("quiet-hours", task.Reason);
        Assert.True(task.DeferredUntil > now, task.DeferredUntil?.ToString("O"));
    }
}
