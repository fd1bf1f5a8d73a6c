using System.Net.Http.Headers;
using System.Text;
using RabbitMQ.Client;
using WecomBridge.Fakes;
using WecomBridge.Fakes.Callbacks;
using WecomBridge.Tests.Api;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.DeadLetters;

/// <summary>
/// A gateway on the test servers with its enrichment consumers and the dead-letter collector on (polling every 100 ms),
/// a WeCom fake, queues and Redis keys of its own, and two API keys: "ops" (an operator key) and "viewer" (not one).
/// </summary>
public sealed class DeadLetterHost : IAsyncLifetime
{
    public const string OpsKey = "dead-letter-ops-key-0123456789", ViewerKey = "dead-letter-viewer-key-0123456789";
    public const string CorpId = "wwfakecorp0000001", App = "crm";
    public string QueuePrefix { get; } = $"test.dl.{Guid.NewGuid():N}.";
    public string Corp { get; } = "dl" + Guid.NewGuid().ToString("N")[..10];
    public WeComCallbackApp WeComApp { get; } = new("DeadLetterTok", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", CorpId);
    public WeComFake WeCom { get; } = WeComFake.Start();
    public CallbackSimulator Simulator { get; } = new();
    public BridgeApp Bridge { get; private set; } = null!;
    public HttpClient Ops { get; private set; } = null!;
    public HttpClient Viewer { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var settings = BridgeApp.WithServers();
        settings["Bridge:Roles:0"] = "Gateway";
        settings["Messaging:WaitUntilStarted"] = "true";
        settings["Gateway:Spool:Path"] = Path.Combine(TestServers.TempRoot, "spool-" + Guid.NewGuid().ToString("N"));
        settings["WeCom:BaseUrl"] = WeCom.BaseUrl;
        settings[$"WeCom:Corps:{Corp}:CorpId"] = CorpId;
        settings[$"WeCom:Corps:{Corp}:ContactSecret"] = "contact-secret";
        settings[$"WeCom:Corps:{Corp}:Apps:{App}:AgentId"] = WeComApp.AgentId;
        settings[$"WeCom:Corps:{Corp}:Apps:{App}:Secret"] = "app-secret";
        settings[$"WeCom:Corps:{Corp}:Apps:{App}:Token"] = WeComApp.Token;
        settings[$"WeCom:Corps:{Corp}:Apps:{App}:EncodingAesKey"] = WeComApp.EncodingAesKey;
        settings["ApiClients:RetryBaseDelay"] = "00:00:00.010";
        settings["ApiClients:RetryMaxDelay"] = "00:00:00.050";
        settings["ApiClients:NotExternalContactDelay"] = "00:00:00.010";
        settings["ApiClients:TokenKeyPrefix"] = $"test:token:{Guid.NewGuid():N}:";
        settings["Enrichment:QueuePrefix"] = QueuePrefix;
        settings["DeadLetters:Enabled"] = "true";
        settings["DeadLetters:PollInterval"] = "00:00:00.100";
        settings["DeadLetters:KeyPrefix"] = $"test:dl:{Guid.NewGuid():N}:";
        settings["DeadLetters:OperatorKeys:0"] = "ops";
        settings["SendApi:ApiKeys:0:Name"] = "ops";
        settings["SendApi:ApiKeys:0:KeyHash"] = ApiApp.Hash(OpsKey);
        settings["SendApi:ApiKeys:1:Name"] = "viewer";
        settings["SendApi:ApiKeys:1:KeyHash"] = ApiApp.Hash(ViewerKey);
        Bridge = new BridgeApp(settings);
        Ops = Client(OpsKey);
        Viewer = Client(ViewerKey);
        await Eventually.True(async () => (await Ops.GetAsync("/health/ready")).IsSuccessStatusCode, what: "/health/ready");
    }

    private HttpClient Client(string key)
    {
        var client = Bridge.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public string Queue(string source) => QueuePrefix + source;

    public async Task PostContactAddedAsync(string externalUserId, long createTime)
    {
        var xml = WeComEvents.ExternalContact(CorpId, "add_external_contact", "zhangsan", externalUserId, createTime: createTime);
        var response = await Ops.SendAsync(Simulator.BuildWeComPost(WeComApp, xml).ToHttpRequest($"/callbacks/wecom/{Corp}/{App}"));
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Puts a message straight on an `_error` queue, as MassTransit leaves a faulted one (its fault headers included).</summary>
    public static async Task PutFaultedAsync(string queue, string body, string messageId, string faultMessage)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(TestServers.RabbitMq) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        await channel.QueueDeclareAsync(queue + "_error", durable: true, exclusive: false, autoDelete: false);
        var properties = new BasicProperties
        {
            Persistent = true, ContentType = "application/json", Type = "ExternalContactEdited", MessageId = messageId,
            Headers = new Dictionary<string, object?>
            {
                ["MT-Fault-ExceptionType"] = "System.InvalidOperationException",
                ["MT-Fault-Message"] = faultMessage,
                ["MT-Fault-Timestamp"] = DateTimeOffset.UtcNow.ToString("O"),
                ["MT-Fault-StackTrace"] = "at Somewhere()",
                ["MT-Reason"] = "fault",
                ["X-Kept"] = "kept-value",
            },
        };
        await channel.BasicPublishAsync("", queue + "_error", mandatory: true, properties, Encoding.UTF8.GetBytes(body));
    }

    public async Task DisposeAsync()
    {
        Ops?.Dispose();
        Viewer?.Dispose();
        if (Bridge is not null) await Bridge.DisposeAsync();
        WeCom.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class DeadLetterCollection : ICollectionFixture<DeadLetterHost>
{
    public const string Name = "DeadLetters";
}
