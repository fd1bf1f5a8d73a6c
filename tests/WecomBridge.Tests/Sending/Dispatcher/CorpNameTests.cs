using WecomBridge.Sending.Status;

namespace WecomBridge.Tests.Sending.Dispatcher;

/// <summary>Configuration keys ignore case, so the dispatcher takes a corp name as configured: two spellings, one cap and one bucket.</summary>
public class CorpNameTests
{
    [Fact]
    public async Task Two_spellings_of_a_corp_share_its_customer_cap_and_its_policy()
    {
        var settings = DispatcherApp.OwnKeys(out var corp, out _);
        settings[$"Dispatch:Corps:{corp}:CustomerCap:Period"] = "Day";
        settings[$"Dispatch:Corps:{corp}:CustomerCap:Limit"] = "1";
        await using var app = new DispatcherApp(settings);

        var first = Sends.CustomerTask("zhangsan", "wmAlice") with { Corp = corp.ToUpperInvariant() };
        await app.PublishAsync(first);
        var sent = await app.FinishedAsync(first.MessageId);
        Assert.Equal((SendStates.Sent, corp), (sent.State, sent.Corp));

        var second = Sends.CustomerTask("lisi", "wmAlice", "wmBob") with { Corp = corp };
        await app.PublishAsync(second);
        var capped = await app.FinishedAsync(second.MessageId);
        Assert.Equal(["wmAlice:capped"], capped.SkippedRecipients); // the cap of the day was spent under the other spelling
    }
}
