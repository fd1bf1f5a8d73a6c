using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WecomBridge.Sending.Limits;
using WecomBridge.Sending.Status;

namespace WecomBridge.Tests.Sending.Dispatcher;

/// <summary>
/// Quiet hours come before the suppression list and the customer caps, and a send that does not happen gives its
/// caps back, whatever stopped it (a refused task: <see cref="SendGuardTests"/>).
/// </summary>
public class SendOrderTests
{
    private const string MsgTemplate = "/cgi-bin/externalcontact/add_msg_template";

    [Fact]
    public async Task A_send_deferred_for_quiet_hours_takes_no_cap()
    {
        var settings = CappedCorp(out var corp);
        var now = DateTime.UtcNow;
        settings[$"Dispatch:Corps:{corp}:TimeZone"] = "Etc/UTC";
        settings[$"Dispatch:Corps:{corp}:QuietHours:Enabled"] = "true";
        settings[$"Dispatch:Corps:{corp}:QuietHours:Start"] = TimeOnly.FromDateTime(now.AddHours(-1)).ToString("HH:mm:ss");
        settings[$"Dispatch:Corps:{corp}:QuietHours:End"] = TimeOnly.FromDateTime(now.AddHours(1)).ToString("HH:mm:ss");
        await using var app = new DispatcherApp(settings);
        var send = Sends.CustomerTask("zhangsan", "wmAlice") with { Corp = corp };

        await app.PublishAsync(send);

        Assert.Equal("quiet-hours", (await app.StateAsync(send.MessageId, SendStates.Deferred)).Reason);
        Assert.True(await CapIsFreeAsync(app, corp, "wmAlice"));
        Assert.Equal(0, app.WeCom.Journal.Count(MsgTemplate));
    }

    [Fact]
    public async Task A_send_deferred_by_a_full_rate_limit_gives_its_cap_back()
    {
        var settings = CappedCorp(out var corp);
        settings[$"Dispatch:Corps:{corp}:SenderTasksPerDay"] = "1";
        await using var app = new DispatcherApp(settings);
        var first = Sends.CustomerTask("zhangsan", "wmAlice") with { Corp = corp };
        var second = Sends.CustomerTask("zhangsan", "wmBob") with { Corp = corp };

        await app.PublishAsync(first);
        Assert.Equal(SendStates.Sent, (await app.FinishedAsync(first.MessageId)).State);
        await app.PublishAsync(second);

        Assert.Equal("rate-limit", (await app.StateAsync(second.MessageId, SendStates.Deferred)).Reason);
        Assert.True(await CapIsFreeAsync(app, corp, "wmBob"));
        Assert.False(await CapIsFreeAsync(app, corp, "wmAlice")); // the sent task keeps its cap
    }

    [Fact]
    public async Task A_send_whose_retry_budget_is_spent_gives_its_cap_back()
    {
        var settings = CappedCorp(out var corp);
        settings["Dispatch:RetryBudget"] = "1";
        settings["ApiClients:MaxAttempts"] = "1";
        await using var app = new DispatcherApp(settings);
        app.WeCom.Faults.ErrCode(-1, MsgTemplate);
        var send = Sends.CustomerTask("zhangsan", "wmAlice") with { Corp = corp };

        await app.PublishAsync(send);

        var status = await app.FinishedAsync(send.MessageId);
        Assert.Equal(SendStates.Failed, status.State);
        Assert.StartsWith("retry budget", status.Reason);
        Assert.True(await CapIsFreeAsync(app, corp, "wmAlice"));
    }

    [Fact]
    public async Task A_send_of_a_corp_without_a_secret_fails_on_its_configuration_and_gives_its_cap_back()
    {
        var settings = CappedCorp(out _);
        var ghost = "ghost" + Guid.NewGuid().ToString("N")[..8];
        settings[$"WeCom:Corps:{ghost}:CorpId"] = "wwfakecorp0000009"; // neither a ContactSecret nor an app
        await using var app = new DispatcherApp(settings);
        var send = Sends.CustomerTask("zhangsan", "wmAlice") with { Corp = ghost };

        await app.PublishAsync(send);

        var status = await app.FinishedAsync(send.MessageId);
        Assert.Equal(SendStates.Failed, status.State);
        Assert.StartsWith("configuration", status.Reason);
        Assert.True(await CapIsFreeAsync(app, ghost, "wmAlice"));
    }

    /// <summary>A corp of the test's own (caps in the shared Redis are per corp) whose customers get one task a day.</summary>
    private static Dictionary<string, string?> CappedCorp(out string corp)
    {
        var settings = DispatcherApp.OwnKeys(out corp, out _);
        settings[$"Dispatch:Corps:{corp}:CustomerCap:Period"] = "Day";
        settings[$"Dispatch:Corps:{corp}:CustomerCap:Limit"] = "1";
        return settings;
    }

    /// <summary>Whether nothing counts against the customer's cap today: a probe takes it (and gives it back).</summary>
    private static async Task<bool> CapIsFreeAsync(DispatcherApp app, string corp, string customer)
    {
        var caps = app.Services.GetRequiredService<ICapStore>();
        var period = CustomerCaps.PeriodOf(DateTimeOffset.UtcNow, app.Services.GetRequiredService<IOptionsMonitor<SendPolicyOptions>>().Get(corp));
        var probe = "probe-" + Guid.NewGuid().ToString("N");
        var over = await caps.TakeAsync(corp, period.Key, 1, period.Ends, probe, [customer]);
        await caps.GiveBackAsync(corp, period.Key, probe, [customer]);
        return over.Count == 0;
    }
}
