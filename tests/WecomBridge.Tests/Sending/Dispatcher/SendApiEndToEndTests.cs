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

    [Fact]
    public async Task Many_identical_requests_at_once_with_one_key_queue_one_command_and_make_one_call()
    {
        await using var app = new DispatcherApp(new Dictionary<string, string?>
        {
            ["SendApi:ApiKeys:0:Name"] = "marketing",
            ["SendApi:ApiKeys:0:KeyHash"] = ApiApp.Hash(Key),
            ["SendApi:ApiKeys:0:Corps:0"] = "acme",
        });
        var key = "burst-" + Guid.NewGuid().ToString("N");
        var clients = Enumerable.Range(0, 24).Select(_ =>
        {
            var client = app.App.CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
            return client;
        }).ToList();

        var responses = await Task.WhenAll(clients.Select(client =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/messages")
            {
                Content = JsonContent.Create(new
                {
                    kind = "customer-task", corp = "acme",
                    customerTask = new { sender = "zhangsan", externalUserIds = new[] { "wmAlice" }, text = "Burst" },
                }),
            };
            request.Headers.Add("Idempotency-Key", key);
            return client.SendAsync(request);
        }));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("messageId").GetString()));
        var id = Assert.Single(ids.Distinct())!;
        Assert.Equal(SendStates.Sent, (await app.FinishedAsync(id)).State);
        Assert.Single(app.WeCom.Journal.For("/cgi-bin/externalcontact/add_msg_template"));
        Assert.Single(app.App.Logs.Lines, l => l.Contains($"Message {id} (customer-task) queued"));
    }
}
