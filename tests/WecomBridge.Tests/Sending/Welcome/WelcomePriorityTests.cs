using WecomBridge.Contracts.Sending;
using WecomBridge.Fakes.Server;
using WecomBridge.Sending.Status;
using WecomBridge.Tests.Infrastructure;
using WecomBridge.Tests.Sending.Dispatcher;

namespace WecomBridge.Tests.Sending.Welcome;

/// <summary>
/// The welcome path on a dispatcher (real Redis and RabbitMQ): the client's 84061 retries stay inside the welcome's
/// window (ApiClients:NotExternalContactDelay at its default of 20 s would put the first retry past it), the outcome
/// says whether WeCom may have acted, and a queue full of slow bulk sends does not hold a welcome back.
/// </summary>
public sealed class WelcomePriorityTests
{
    private const string WelcomePath = "/cgi-bin/externalcontact/send_welcome_msg";
    private const string TemplatePath = "/cgi-bin/message/template/send";

    /// <summary>The delay at its default (test hosts shorten it): the window, not the delay, must bound the retries.</summary>
    private static readonly Dictionary<string, string?> DefaultDelay = new() { ["ApiClients:NotExternalContactDelay"] = "00:00:20" };

    private static WelcomeRequested Welcome(string code, TimeSpan window) =>
        new(Sends.NewId(), "acme", "crm", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow + window, new WelcomeMessage(code, "hello", null));

    [Fact]
    public async Task A_welcome_refused_with_84061_once_is_retried_within_its_window_and_sent()
    {
        await using var app = new DispatcherApp(DefaultDelay);
        app.WeCom.Faults.ErrCode(84061, WelcomePath, times: 1);
        var request = Welcome(app.WeCom.IssueWelcomeCode("zhangsan", "wmAlice"), TimeSpan.FromSeconds(8));

        await app.PublishAsync(request, request.MessageId);

        var status = await app.FinishedAsync(request.MessageId);
        Assert.Equal((SendStates.Sent, 1), (status.State, status.Attempts));
        Assert.Equal([84061, 0], Calls(app, request).Select(e => e.ErrCode));
    }

    [Fact]
    public async Task A_welcome_refused_with_84061_to_the_end_of_its_window_fails_with_84061_and_is_not_ambiguous()
    {
        await using var app = new DispatcherApp(DefaultDelay);
        app.WeCom.Faults.ErrCode(84061, WelcomePath);
        var request = Welcome(app.WeCom.IssueWelcomeCode("zhangsan", "wmBob"), TimeSpan.FromSeconds(8));

        await app.PublishAsync(request, request.MessageId);

        var status = await app.FinishedAsync(request.MessageId);
        Assert.Equal((SendStates.Failed, 84061), (status.State, status.ErrCode));
        Assert.Equal(3, Calls(app, request).Count); // the first call and NotExternalContactRetries (2)
    }

    [Fact]
    public async Task A_welcome_is_not_held_back_by_a_queue_full_of_slow_bulk_sends()
    {
        const int bulk = 40;
        await using var app = new DispatcherApp(new Dictionary<string, string?> { ["Dispatch:ConcurrentSends"] = "2" });
        var slow = app.OfficialAccount.Faults.Latency(TimeSpan.FromMilliseconds(300), TemplatePath);
        var sends = Enumerable.Range(0, bulk).Select(_ => Sends.Template()).ToArray();
        foreach (var send in sends) await app.PublishAsync(send);
        await Eventually.True(() => app.OfficialAccount.Faults.Uses(slow) >= 2, what: "bulk sends under way");

        var request = Welcome(app.WeCom.IssueWelcomeCode("lisi", "wmCarol"), TimeSpan.FromSeconds(20));
        await app.PublishAsync(request, request.MessageId);

        Assert.Equal(SendStates.Sent, (await app.FinishedAsync(request.MessageId)).State);
        var bulkDone = app.OfficialAccount.Journal.Count(TemplatePath);
        // At two at a time and 300 ms each, the bulk queue takes 6 s; a welcome behind it would come after most of it.
        Assert.True(bulkDone < bulk / 2, $"{bulkDone} of {bulk} bulk sends were made before the welcome");
        foreach (var send in sends) await app.FinishedAsync(send.MessageId);
    }

    /// <summary>
    /// This welcome's calls only: the app also sends the welcomes configured for contact-added events, and other tests
    /// publish those on the shared broker.
    /// </summary>
    private static List<JournalEntry> Calls(DispatcherApp app, WelcomeRequested request) =>
        app.WeCom.Journal.For(WelcomePath).Where(e => e.Body.Contains(request.Welcome.WelcomeCode, StringComparison.Ordinal)).ToList();
}
