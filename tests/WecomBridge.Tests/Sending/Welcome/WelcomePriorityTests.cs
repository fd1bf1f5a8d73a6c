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

    /// <summary>
    /// The delay at its default (test hosts shorten it): the window, not the delay, must bound the retries. A corp of the
    /// test's own: a pause of acme's app that another test caused (shared Redis) would fail the welcome at once.
    /// </summary>
    private static Dictionary<string, string?> DefaultDelay(out string corp)
    {
        var settings = DispatcherApp.OwnApp(out corp);
        settings["ApiClients:NotExternalContactDelay"] = "00:00:20";
        return settings;
    }

    private static WelcomeRequested Welcome(string corp, string code, TimeSpan window) =>
        new(Sends.NewId(), corp, "crm", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow + window, new WelcomeMessage(code, "hello", null));

    [Fact]
    public async Task A_welcome_refused_with_84061_once_is_retried_within_its_window_and_sent()
    {
        await using var app = new DispatcherApp(DefaultDelay(out var corp));
        app.WeCom.Faults.ErrCode(84061, WelcomePath, times: 1);
        var request = Welcome(corp, app.WeCom.IssueWelcomeCode("zhangsan", "wmAlice"), TimeSpan.FromSeconds(8));

        await app.PublishAsync(request, request.MessageId);

        var status = await app.FinishedAsync(request.MessageId);
        Assert.True(status is { State: SendStates.Sent, Attempts: 1 }, Describe(status));
        Assert.Equal([84061, 0], Calls(app, request).Select(e => e.ErrCode));
    }

    [Fact]
    public async Task A_welcome_refused_with_84061_to_the_end_of_its_window_fails_with_84061_and_is_not_ambiguous()
    {
        await using var app = new DispatcherApp(DefaultDelay(out var corp));
        app.WeCom.Faults.ErrCode(84061, WelcomePath);
        var request = Welcome(corp, app.WeCom.IssueWelcomeCode("zhangsan", "wmBob"), TimeSpan.FromSeconds(8));

        await app.PublishAsync(request, request.MessageId);

        var status = await app.FinishedAsync(request.MessageId);
        Assert.True(status is { State: SendStates.Failed, ErrCode: 84061 }, Describe(status));
        Assert.Equal(3, Calls(app, request).Count); // the first call and NotExternalContactRetries (2)
    }

    [Fact]
    public async Task A_welcome_is_not_held_back_by_a_queue_full_of_slow_bulk_sends()
    {
        const int bulk = 40;
        var settings = DispatcherApp.OwnApp(out var corp);
        settings["Dispatch:ConcurrentSends"] = "2";
        await using var app = new DispatcherApp(settings);
        var slow = app.OfficialAccount.Faults.Latency(TimeSpan.FromMilliseconds(300), TemplatePath);
        var sends = Enumerable.Range(0, bulk).Select(_ => Sends.Template()).ToArray();
        foreach (var send in sends) await app.PublishAsync(send);
        await Eventually.True(() => app.OfficialAccount.Faults.Uses(slow) >= 2, what: "bulk sends under way");

        var request = Welcome(corp, app.WeCom.IssueWelcomeCode("lisi", "wmCarol"), TimeSpan.FromSeconds(20));
        await app.PublishAsync(request, request.MessageId);

        Assert.Equal(SendStates.Sent, (await app.FinishedAsync(request.MessageId)).State);
        var bulkDone = app.OfficialAccount.Journal.Count(TemplatePath);
        // At two at a time and 300 ms each, the bulk queue takes 6 s; a welcome behind it would come after most of it.
        Assert.True(bulkDone < bulk / 2, $"{bulkDone} of {bulk} bulk sends were made before the welcome");
        foreach (var send in sends) await app.FinishedAsync(send.MessageId);
    }

    private static string Describe(SendStatus status) =>
        $"{status.State} after {status.Attempts} attempts, errcode {status.ErrCode?.ToString() ?? "none"}: {status.Reason}";

    /// <summary>
    /// This welcome's calls only: the app also sends the welcomes configured for contact-added events, and other tests
    /// publish those on the shared broker.
    /// </summary>
    private static List<JournalEntry> Calls(DispatcherApp app, WelcomeRequested request) =>
        app.WeCom.Journal.For(WelcomePath).Where(e => e.Body.Contains(request.Welcome.WelcomeCode, StringComparison.Ordinal)).ToList();
}
