using RabbitMQ.Client;
using WecomBridge.Fakes;
using WecomBridge.Fakes.Callbacks;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Enrichment;

/// <summary>
/// The app as a gateway on the test servers, its WeCom and OA clients pointed at fakes started here (default fixture,
/// one follow user per externalcontact/get page). Corp and account keys and queue names are new per host, so dedupe keys and stored
/// member versions never meet another test's. Short retry delays; ready once the enrichment queues exist.
/// </summary>
public sealed class EnrichmentHost : IAsyncLifetime
{
    public const string CorpId = "wwfakecorp0000001", App = "crm";
    /// <summary>Queues of this host alone: other tests run gateways with enrichment on the same broker.</summary>
    public string QueuePrefix { get; } = $"test.enrich.{Guid.NewGuid():N}.";
    public string[] Queues => new[]
    {
        "external-contact-added", "external-contact-half-added", "external-contact-edited", "group-chat-created", "group-chat-updated",
        "corp-tag-created", "corp-tag-updated", "corp-tag-deleted", "corp-tags-shuffled", "follower-subscribed",
    }.Select(queue => QueuePrefix + queue).ToArray();

    public string Corp { get; } = "en" + Guid.NewGuid().ToString("N")[..10];
    public string Account { get; } = "oa" + Guid.NewGuid().ToString("N")[..10];
    public WeComCallbackApp WeComApp { get; } = new("EnrichToken7", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", CorpId);
    public OaCallbackApp OaApp { get; } = new("EnrichOaToken", "wxfakeofficialacc", OriginalId: "gh_enrichtest");
    public WeComFake WeCom { get; } = WeComFake.Start(new FakeOptions { FollowUserPageSize = 1 });
    public OfficialAccountFake Oa { get; } = OfficialAccountFake.Start();
    public CallbackSimulator Simulator { get; } = new();
    public BridgeApp Bridge { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var settings = BridgeApp.WithServers();
        settings["Bridge:Roles:0"] = "Gateway";
        settings["Gateway:Spool:Path"] = Path.Combine(TestServers.TempRoot, "spool-" + Guid.NewGuid().ToString("N"));
        settings["WeCom:BaseUrl"] = WeCom.BaseUrl;
        settings["OfficialAccounts:BaseUrl"] = Oa.BaseUrl;
        settings[$"WeCom:Corps:{Corp}:CorpId"] = CorpId;
        settings[$"WeCom:Corps:{Corp}:ContactSecret"] = "contact-secret";
        settings[$"WeCom:Corps:{Corp}:Apps:{App}:AgentId"] = WeComApp.AgentId;
        settings[$"WeCom:Corps:{Corp}:Apps:{App}:Secret"] = "app-secret";
        settings[$"WeCom:Corps:{Corp}:Apps:{App}:Token"] = WeComApp.Token;
        settings[$"WeCom:Corps:{Corp}:Apps:{App}:EncodingAesKey"] = WeComApp.EncodingAesKey;
        settings[$"OfficialAccounts:Accounts:{Account}:AppId"] = OaApp.AppId;
        settings[$"OfficialAccounts:Accounts:{Account}:Secret"] = "oa-secret";
        settings[$"OfficialAccounts:Accounts:{Account}:Token"] = OaApp.Token;
        settings["ApiClients:RetryBaseDelay"] = "00:00:00.010";
        settings["ApiClients:RetryMaxDelay"] = "00:00:00.050";
        settings["ApiClients:NotExternalContactDelay"] = "00:00:00.010";
        settings["ApiClients:TokenKeyPrefix"] = $"test:token:{Guid.NewGuid():N}:";
        settings["Enrichment:QueuePrefix"] = QueuePrefix;
        settings["Enrichment:RetryMinInterval"] = "00:00:00.050";
        settings["Enrichment:RetryMaxInterval"] = "00:00:00.200";
        Bridge = new BridgeApp(settings);
        Http = Bridge.CreateClient();
        await Eventually.True(async () => (await Http.GetAsync("/health/ready")).IsSuccessStatusCode, what: "/health/ready");
        await Eventually.True(QueuesExistAsync, what: "the enrichment queues");
    }

    public async Task<HttpResponseMessage> PostWeComAsync(string xml)
    {
        var response = await Http.SendAsync(Simulator.BuildWeComPost(WeComApp, xml).ToHttpRequest($"/callbacks/wecom/{Corp}/{App}"));
        response.EnsureSuccessStatusCode();
        return response;
    }

    public async Task<HttpResponseMessage> PostOaAsync(string xml, string openId)
    {
        var response = await Http.SendAsync(Simulator.BuildOaPost(OaApp, xml, openId).ToHttpRequest($"/callbacks/oa/{Account}"));
        response.EnsureSuccessStatusCode();
        return response;
    }

    /// <summary>A CreateTime of its own for each callback, so that none is a duplicate of another.</summary>
    public static long NewCreateTime() => DateTimeOffset.UtcNow.ToUnixTimeSeconds() + Interlocked.Increment(ref _created);
    private static long _created;

    private async Task<bool> QueuesExistAsync()
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(TestServers.RabbitMq) }.CreateConnectionAsync();
        foreach (var queue in Queues)
        {
            await using var channel = await connection.CreateChannelAsync();
            try { await channel.QueueDeclarePassiveAsync(queue); }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException) { return false; }
        }
        return true;
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (Bridge is not null) await Bridge.DisposeAsync();
        WeCom.Dispose();
        Oa.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class EnrichmentCollection : ICollectionFixture<EnrichmentHost>
{
    public const string Name = "Enrichment";
}
