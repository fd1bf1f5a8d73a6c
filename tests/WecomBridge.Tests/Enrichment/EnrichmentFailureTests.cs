using WecomBridge.Contracts.Contacts;
using WecomBridge.Fakes.Callbacks;

namespace WecomBridge.Tests.Enrichment;

/// <summary>
/// A permanent errcode faults the source event at once (to the endpoint's _error queue) after a bounded number of
/// calls; a transient one is redelivered until it goes through.
/// </summary>
[Collection(EnrichmentCollection.Name)]
public class EnrichmentFailureTests(EnrichmentHost host)
{
    private const string GetContact = "/cgi-bin/externalcontact/get";

    [Fact]
    public async Task A_permanent_errcode_is_called_once_and_the_event_goes_to_the_error_queue()
    {
        var externalUserId = "wmGone" + Guid.NewGuid().ToString("N")[..8];
        var fault = host.WeCom.Faults.ErrCode(40096, GetContact);
        try
        {
            var failed = await SendAndWaitForErrorAsync(externalUserId);
            Assert.Equal(externalUserId, failed.GetProperty("externalUserId").GetString());
        }
        finally
        {
            host.WeCom.Faults.Remove(fault);
        }
        Assert.Equal(1, CallsFor(externalUserId));
        Assert.Contains(host.Bridge.Logs.Lines, l => l.Contains("errcode 40096") && l.Contains("to the error queue"));
        // Enrichment logs ids only: no remark, name or chat name of what the host's other tests read.
        var leak = host.Bridge.Logs.Lines.FirstOrDefault(l => l.Contains("WecomBridge.Enrichment")
            && (l.Contains("Bob from sales") || l.Contains("Alice (VIP)") || l.Contains("VIP customers") || l.Contains("Zhang San")));
        Assert.Null(leak);
        Assert.Contains(host.Bridge.Logs.Lines, l => l.Contains("WecomBridge.Enrichment"));
    }

    [Fact]
    public async Task Not_an_external_contact_is_given_up_after_the_clients_slow_retries_not_redelivered()
    {
        var unknown = "wmNobody" + Guid.NewGuid().ToString("N")[..8]; // the fake answers 84061

        await SendAndWaitForErrorAsync(unknown);

        Assert.Equal(3, CallsFor(unknown)); // the first call and ApiClients:NotExternalContactRetries (2)
    }

    [Fact]
    public async Task A_transient_errcode_is_redelivered_until_the_read_succeeds()
    {
        await using var snapshots = await ExchangeReader.BindAsync(typeof(ExternalContactSnapshotPublished));
        var before = CallsFor("wmCarol");
        host.WeCom.Faults.ErrCode(-1, GetContact, times: 4); // the client's 3 attempts fail, then one redelivery's first
        var createTime = EnrichmentHost.NewCreateTime();

        await host.PostWeComAsync(WeComEvents.ExternalContact(EnrichmentHost.CorpId, "add_external_contact", "lisi", "wmCarol",
            createTime: createTime));

        var (body, _) = await snapshots.WaitForAsync(m => ExternalContactEnrichmentTests.Is(m, host.Corp, createTime), "the snapshot");
        Assert.Equal("lisi", Assert.Single(body.GetProperty("followUsers").EnumerateArray()).GetProperty("userId").GetString());
        Assert.Equal(5, CallsFor("wmCarol") - before);
    }

    private async Task<System.Text.Json.JsonElement> SendAndWaitForErrorAsync(string externalUserId)
    {
        await using var errors = await ExchangeReader.OpenQueueAsync(host.QueuePrefix + "external-contact-added_error");
        await host.PostWeComAsync(WeComEvents.ExternalContact(EnrichmentHost.CorpId, "add_external_contact", "zhangsan", externalUserId,
            createTime: EnrichmentHost.NewCreateTime()));
        return (await errors.WaitForAsync(m => m.GetProperty("externalUserId").GetString() == externalUserId, "the faulted event")).Body;
    }

    private int CallsFor(string externalUserId) =>
        host.WeCom.Journal.For(GetContact).Count(e => e.Query.Contains("external_userid=" + externalUserId));
}
