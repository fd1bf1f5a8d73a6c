using Microsoft.Extensions.DependencyInjection;
using WecomBridge.Contracts.Sending;
using WecomBridge.Sending.Status;
using WecomBridge.Sending.Suppression;

namespace WecomBridge.Tests.Sending.Dispatcher;

/// <summary>Suppression list, customer caps and quiet hours, applied by the dispatcher before any call.</summary>
public class SendGuardTests
{
    [Fact]
    public async Task Suppressed_customers_are_left_out_and_a_send_to_nobody_else_fails_without_a_call()
    {
        await using var app = new DispatcherApp(DispatcherApp.OwnKeys(out var corp, out var account));
        var list = app.Services.GetRequiredService<ISuppressionList>();
        await list.AddAsync(SuppressionScopes.WeCom(corp), SuppressionScopes.Pair("zhangsan", "wmBob"), "customer-deleted-employee", DateTimeOffset.UtcNow);
        await list.AddAsync(SuppressionScopes.Account(account), "oCarol", "unsubscribed", DateTimeOffset.UtcNow);

        var partly = Sends.CustomerTask("zhangsan", "wmAlice", "wmBob") with { Corp = corp };
        var onlySuppressed = Sends.CustomerTask("zhangsan", "wmBob") with { Corp = corp };
        var template = Sends.Template("oCarol") with { Account = account };
        await app.PublishAsync(partly);
        await app.PublishAsync(onlySuppressed);
        await app.PublishAsync(template);

        var sent = await app.FinishedAsync(partly.MessageId);
        Assert.Equal(SendStates.Sent, sent.State);
        Assert.Equal(["wmBob:suppressed"], sent.SkippedRecipients);
        var task = Assert.Single(app.WeCom.Data.MsgTemplates);
        Assert.Equal(["wmAlice"], task.Request["external_userid"]!.AsArray().Select(n => n!.ToString()));
        Assert.Equal(SendStates.Failed, (await app.FinishedAsync(onlySuppressed.MessageId)).State);
        Assert.Equal(SendStates.Failed, (await app.FinishedAsync(template.MessageId)).State);
        Assert.Empty(app.OfficialAccount.Data.SentTemplateMessages);
    }

    [Fact]
    public async Task A_customer_suppressed_for_every_member_is_left_out_whoever_sends()
    {
        await using var app = new DispatcherApp(DispatcherApp.OwnKeys(out var corp, out _));
        await app.Services.GetRequiredService<ISuppressionList>().AddAsync(SuppressionScopes.WeCom(corp), SuppressionScopes.AnyMember("wmBob"),
            "operator", DateTimeOffset.UtcNow);
        var send = Sends.CustomerTask("lisi", "wmBob", "wmCarol") with { Corp = corp };
        await app.PublishAsync(send);

        var sent = await app.FinishedAsync(send.MessageId);
        Assert.Equal(["wmBob:suppressed"], sent.SkippedRecipients);
    }

    [Fact]
    public async Task The_customer_cap_leaves_out_recipients_over_it_and_a_failed_task_gives_its_caps_back()
    {
        // Its own corp key: caps in the shared Redis are per corp, so other tests' sends do not count here.
        var settings = DispatcherApp.OwnKeys(out var corp, out _);
        settings[$"Dispatch:Corps:{corp}:CustomerCap:Period"] = "Day";
        settings[$"Dispatch:Corps:{corp}:CustomerCap:Limit"] = "1";
        await using var app = new DispatcherApp(settings);
        SendRequested For(SendRequested send) => send with { Corp = corp };
        var first = For(Sends.CustomerTask("zhangsan", "wmAlice"));
        await app.PublishAsync(first);
        Assert.Equal(SendStates.Sent, (await app.FinishedAsync(first.MessageId)).State);

        var second = For(Sends.CustomerTask("lisi", "wmAlice", "wmBob"));
        await app.PublishAsync(second);
        var capped = await app.FinishedAsync(second.MessageId);
        Assert.Equal(SendStates.Sent, capped.State);
        Assert.Equal(["wmAlice:capped"], capped.SkippedRecipients);

        app.WeCom.Faults.ErrCode(40003, "/cgi-bin/externalcontact/add_msg_template", times: 1);
        var refused = For(Sends.CustomerTask("lisi", "wmCarol"));
        await app.PublishAsync(refused);
        Assert.Equal((SendStates.Failed, 40003), ((await app.FinishedAsync(refused.MessageId)).State, (await app.StatusAsync(refused.MessageId))!.ErrCode));
        var again = For(Sends.CustomerTask("lisi", "wmCarol"));
        await app.PublishAsync(again);
        Assert.Empty((await app.FinishedAsync(again.MessageId)).SkippedRecipients!); // the refused task's cap was given back
    }

    [Fact]
    public async Task Quiet_hours_defer_customer_sends_to_their_end_but_not_welcome_or_employee_messages()
    {
        var now = DateTime.UtcNow;
        var start = TimeOnly.FromDateTime(now.AddHours(-1));
        var end = TimeOnly.FromDateTime(now.AddHours(1));
        await using var app = new DispatcherApp(new Dictionary<string, string?>
        {
            ["Dispatch:Defaults:QuietHours:Enabled"] = "true",
            ["Dispatch:Defaults:TimeZone"] = "Etc/UTC",
            ["Dispatch:Defaults:QuietHours:Start"] = start.ToString("HH:mm:ss"),
            ["Dispatch:Defaults:QuietHours:End"] = end.ToString("HH:mm:ss"),
        });
        var task = Sends.GroupTask("zhangsan", "wrChatVip");
        var employee = Sends.EmployeeMessage("wangwu");
        await app.PublishAsync(task);
        await app.PublishAsync(employee);

        Assert.Equal(SendStates.Sent, (await app.FinishedAsync(employee.MessageId)).State);
        var deferred = await app.StateAsync(task.MessageId, SendStates.Deferred);
        Assert.Equal("quiet-hours", deferred.Reason);
        Assert.InRange(deferred.DeferredUntil!.Value - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(58), TimeSpan.FromMinutes(61));
        Assert.Empty(app.WeCom.Data.MsgTemplates);
    }
}
