using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WecomBridge.Fakes;
using WecomBridge.Sending.Errors;
using WecomBridge.Tests.Api;
using WecomBridge.Tests.Infrastructure;
using WecomBridge.Tests.Sending.Dispatcher;

namespace WecomBridge.Tests.Sending.Errors;

/// <summary>The embedded mode (no RabbitMQ, no Redis) keeps the error history in memory and answers the same route.</summary>
public sealed class SendErrorEmbeddedTests
{
    [Fact]
    public async Task A_refused_send_shows_in_the_in_memory_history()
    {
        const string key = "embedded-errors-key-0123456789";
        using var wecom = WeComFake.Start();
        using var oa = OfficialAccountFake.Start();
        var settings = DispatcherApp.Settings(wecom.BaseUrl, oa.BaseUrl, "embedded");
        settings["SendApi:ApiKeys:0:Name"] = "ops";
        settings["SendApi:ApiKeys:0:KeyHash"] = ApiApp.Hash(key);
        settings["SendApi:ApiKeys:0:Corps:0"] = "acme";
        await using var app = new BridgeApp(settings);
        Assert.IsType<InMemorySendErrorStore>(app.Services.GetRequiredService<ISendErrorStore>());
        using var http = app.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        wecom.Faults.ErrCode(41051, "/cgi-bin/externalcontact/add_msg_template");

        var accepted = await http.PostAsJsonAsync("/api/v1/messages", new
        {
            kind = "customer-task", corp = "acme", customerTask = new { sender = "zhangsan", externalUserIds = new[] { "wmAlice" }, text = "Hi" },
        });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var id = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("messageId").GetString()!;

        var row = await Eventually.Get(async () => (await http.GetFromJsonAsync<JsonElement>("/api/v1/dispatch/errors?corp=acme"))
            .GetProperty("errors").EnumerateArray().FirstOrDefault(), r => r.ValueKind == JsonValueKind.Object, what: "the refused send");
        Assert.Equal((41051, 1, "failed"), (row.GetProperty("errCode").GetInt32(), row.GetProperty("count").GetInt32(),
            row.GetProperty("state").GetString()));
        Assert.Equal(id, row.GetProperty("recent")[0].GetProperty("messageId").GetString());
        Assert.Contains("welcome code", row.GetProperty("advice").GetString());
    }
}
