using Microsoft.Extensions.DependencyInjection;
using WecomBridge.Contracts.Sending;
using WecomBridge.Sending.Dispatcher;
using WecomBridge.Sending.Status;

namespace WecomBridge.Tests.Sending.Dispatcher;

/// <summary>
/// "Ambiguous" only when a request of the send may have reached WeCom: a failure before it (here a token fetch) and a
/// claim whose holder stopped before its call leave the send to the next delivery, which sends it once; a repeat of
/// an unknown outcome goes only within WeCom's dedupe window of the first call (the recorded start, seeded here in
/// the past instead of waiting).
/// </summary>
public class SendClaimTests
{
    private const string MsgTemplate = "/cgi-bin/externalcontact/add_msg_template";
    private const string TemplateSend = "/cgi-bin/message/template/send";
    private const string AppMessage = "/cgi-bin/message/send";

    [Fact]
    public async Task A_token_fetch_that_fails_with_an_unknown_outcome_is_not_ambiguous_and_the_send_goes_once()
    {
        // A token cache of its own: the fake's corp and secret are every test's, and a token another test cached would
        // spare the gettoken call this test makes fail.
        await using var app = new DispatcherApp(new Dictionary<string, string?>
        {
            ["ApiClients:MaxAttempts"] = "1",
            ["ApiClients:TokenKeyPrefix"] = $"test:token:{Guid.NewGuid():N}:",
        });
        app.WeCom.Faults.HttpStatus(502, "/cgi-bin/gettoken", times: 1);
        var send = Sends.CustomerTask("zhangsan", "wmAlice");

        await app.PublishAsync(send);

        var status = await app.FinishedAsync(send.MessageId);
        Assert.Equal((SendStates.Sent, 2), (status.State, status.Attempts));
        Assert.Single(app.WeCom.Journal.For(MsgTemplate));
    }

    [Fact]
    public async Task A_claim_whose_holder_stopped_before_its_call_is_taken_again_and_sent_once()
    {
        await using var app = new DispatcherApp();
        var send = Sends.CustomerTask("zhangsan", "wmAlice");
        var store = app.Services.GetRequiredService<ISendStatusStore>();
        // A dispatcher claimed it and died before its request: a lease, no call recorded.
        await store.ClaimAsync(send.MessageId, Fresh(send), DateTimeOffset.UtcNow, TimeSpan.FromSeconds(1), null);

        await app.PublishAsync(send);

        Assert.Equal(SendStates.Sent, (await app.FinishedAsync(send.MessageId)).State);
        Assert.Single(app.WeCom.Journal.For(MsgTemplate));
    }

    [Fact]
    public async Task A_stale_holder_cannot_overwrite_the_outcome_of_the_instance_that_took_the_send_over()
    {
        await using var app = new DispatcherApp();
        var send = Sends.Template("oBob");
        var store = app.Services.GetRequiredService<ISendStatusStore>();
        var stale = (await store.ClaimAsync(send.MessageId, Fresh(send), DateTimeOffset.UtcNow, TimeSpan.FromMilliseconds(200), null)).Status;
        await store.MarkCallAsync(send.MessageId, stale.Owner!, DateTimeOffset.UtcNow, SendCalls.RepeatWindow(send));

        await app.PublishAsync(send); // retaken once the lease ends (a template within its window) and sent
        var sent = await app.FinishedAsync(send.MessageId);

        Assert.Equal(SendStates.Sent, sent.State);
        Assert.False(await store.SaveAsync(stale with { State = SendStates.Failed, Reason = "stale" }));
        Assert.Equal(SendStates.Sent, (await app.StatusAsync(send.MessageId))!.State);
    }

    [Fact]
    public async Task A_call_mark_whose_reply_was_lost_is_released_once_redis_answers_and_the_send_goes_once()
    {
        // A Redis failover: the mark reached the master, its reply did not, and the release meets no master twice. The
        // request never left, so the send is not ambiguous: the release is tried again until it lands, well within the lease.
        var send = Sends.CustomerTask("zhangsan", "wmAlice");
        LostReplyStatusStore? store = null;
        await using var app = new DispatcherApp(new Dictionary<string, string?> { ["Dispatch:SendLease"] = "00:00:20" },
            services: LostReplyStatusStore.Around(send.MessageId, failedSaves: 2, s => store = s));
        _ = app.Services;

        await app.PublishAsync(send);

        var status = await app.FinishedAsync(send.MessageId);
        Assert.Equal(SendStates.Sent, status.State);
        Assert.Single(app.WeCom.Journal.For(MsgTemplate));
        Assert.Equal(2, store!.FailedSaves);
    }

    [Theory]
    [InlineData(SendKinds.Template, 1, SendStates.Sent)]
    [InlineData(SendKinds.Template, 11, SendStates.Ambiguous)]
    [InlineData(SendKinds.EmployeeMessage, 1, SendStates.Sent)]
    [InlineData(SendKinds.EmployeeMessage, 31, SendStates.Ambiguous)]
    public async Task A_send_after_an_unknown_outcome_is_repeated_only_within_the_dedupe_window(string kind, int minutesAgo, string expected)
    {
        await using var app = new DispatcherApp();
        var send = kind == SendKinds.Template ? Sends.Template("oAlice") : Sends.EmployeeMessage("wangwu");
        var store = app.Services.GetRequiredService<ISendStatusStore>();
        // The first call started minutes ago and its outcome is unknown; the send waits for its retry.
        var claim = (await store.ClaimAsync(send.MessageId, Fresh(send), DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), null)).Status;
        var first = await store.MarkCallAsync(send.MessageId, claim.Owner!, DateTimeOffset.UtcNow.AddMinutes(-minutesAgo), null);
        await store.SaveAsync(claim with
        {
            State = SendStates.Deferred, DeferredUntil = DateTimeOffset.UtcNow, Attempts = 1, FirstCallAt = first.FirstCallAt,
        });

        await app.PublishAsync(send);

        var status = await app.FinishedAsync(send.MessageId);
        Assert.Equal(expected, status.State);
        var calls = app.WeCom.Journal.Count(AppMessage) + app.OfficialAccount.Journal.Count(TemplateSend);
        Assert.Equal(expected == SendStates.Sent ? 1 : 0, calls);
    }

    private static SendStatus Fresh(SendRequested send) => new(send.MessageId, send.Kind, send.Corp, send.App, send.Account, null,
        SendStates.Accepted, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
}
