using WecomBridge.Fakes;
using WecomBridge.Fakes.Callbacks;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Enrichment;

/// <summary>With no RabbitMQ or Redis configured, enrichment runs on the in-memory bus and member-version store.</summary>
public class EmbeddedEnrichmentTests
{
    [Fact]
    public async Task An_added_contact_is_read_and_its_snapshot_published_on_the_in_memory_bus()
    {
        using var weCom = WeComFake.Start();
        var app = new WeComCallbackApp("EmbeddedToken", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", EnrichmentHost.CorpId);
        await using var bridge = new BridgeApp(new Dictionary<string, string?>
        {
            ["Bridge:Roles:0"] = "Gateway",
            ["Logging:LogLevel:WecomBridge.Enrichment"] = "Debug", // the "Published …" line
            ["Gateway:Spool:Path"] = Path.Combine(Path.GetTempPath(), "wb-spool-" + Guid.NewGuid().ToString("N")),
            ["WeCom:BaseUrl"] = weCom.BaseUrl,
            ["WeCom:Corps:acme:CorpId"] = EnrichmentHost.CorpId,
            ["WeCom:Corps:acme:ContactSecret"] = "contact-secret",
            ["WeCom:Corps:acme:Apps:crm:AgentId"] = app.AgentId,
            ["WeCom:Corps:acme:Apps:crm:Token"] = app.Token,
            ["WeCom:Corps:acme:Apps:crm:EncodingAesKey"] = app.EncodingAesKey,
        });
        using var http = bridge.CreateClient();
        var xml = WeComEvents.ExternalContact(EnrichmentHost.CorpId, "add_external_contact", "zhangsan", "wmBob", createTime: EnrichmentHost.NewCreateTime());

        (await http.SendAsync(new CallbackSimulator().BuildWeComPost(app, xml).ToHttpRequest("/callbacks/wecom/acme/crm"))).EnsureSuccessStatusCode();

        await Eventually.True(() => bridge.Logs.Lines.Any(l => l.Contains("Published ExternalContactSnapshotPublished")),
            what: "the snapshot published on the in-memory bus");
        Assert.Contains(weCom.Journal.For("/cgi-bin/externalcontact/get"), e => e.Query.Contains("external_userid=wmBob"));
    }
}
