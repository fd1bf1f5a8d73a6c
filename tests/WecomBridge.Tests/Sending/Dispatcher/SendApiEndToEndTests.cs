using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using WecomBridge.Sending.Status;
using WecomBridge.Tests.Api;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Sending.Dispatcher;

/// <summary>The whole path on the real servers: POST /api/v1/messages → RabbitMQ → dispatcher → fake API → GET status.</summary>
public class SendApiEndToEndTests
{
    private const string Key = "e2e-key-0123456789";

    [Fact]
    public async Task A_customer_task_and_a_welcome_posted_to_the_api_are_sent_and_their_status_reads_sent()
    {
        await using var app = new DispatcherApp(new Dictionary<string, string?>
        {
            ["SendApi:ApiKeys:0:Name"] = "marketing",
            ["SendApi:ApiKeys:0:KeyHash"] = ApiApp.Hash(Key),
            ["SendApi:ApiKeys:0:Corps:0"] = "acme",
        });
        using var client = app.App.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        var code = app.WeCom.IssueWelcomeCode("zhangsan", "wmAlice");

        var task = await client.PostAsJsonAsync("/api/v1/messages", new
        {
            kind = "customer-task", corp = "acme",
            customerTask = new { sender = "zhangsan", externalUserIds = new[] { "wmAlice", "wmBob" }, text = "Spring sale" },
        });
        var welcome = await client.PostAsJsonAsync("/api/v1/messages", new
        {
            kind = "welcome", corp = "acme", app = "crm", welcome = new { welcomeCode = code, text = "Welcome!" },
        });

        foreach (var response in new[] { task, welcome })
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var location = response.Headers.Location!.ToString();
            var status = await Eventually.Get(async () => await client.GetFromJsonAsync<JsonElement>(location),
                s => s.GetProperty("status").GetString() is SendStates.Sent or SendStates.Failed or SendStates.Ambiguous, what: location);
            Assert.Equal(SendStates.Sent, status.GetProperty("status").GetString());
        }
        Assert.Single(app.WeCom.Data.MsgTemplates);
        Assert.Single(app.WeCom.Data.SentWelcomeMessages);
    }
}
