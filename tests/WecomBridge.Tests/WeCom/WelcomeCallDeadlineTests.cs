using Microsoft.Extensions.Time.Testing;
using WecomBridge.Fakes;
using WecomBridge.Tests.Infrastructure;
using WecomBridge.WeCom;
using WecomBridge.WeCom.Models;

namespace WecomBridge.Tests.WeCom;

/// <summary>
/// send_welcome_msg with its deadline (the event's time + 20 s), on a fake clock shared by the client and the fake: the
/// client's retries (84061, calls that certainly did not happen) start inside the window and never after it.
/// </summary>
public sealed class WelcomeCallDeadlineTests : IDisposable
{
    private const string Welcome = "/cgi-bin/externalcontact/send_welcome_msg";
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(20);
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-03-02T10:00:00Z"));
    private readonly WeComFake _fake;
    private readonly ApiHost _app;

    public WelcomeCallDeadlineTests()
    {
        _fake = WeComFake.Start(new FakeOptions { TimeProvider = _clock, WelcomeCodeLifetime = Window });
        _app = ApiHost.Start(_fake.BaseUrl, time: _clock, settings: new Dictionary<string, string?>
        {
            ["ApiClients:NotExternalContactDelay"] = "00:00:20", // the default: without a deadline, a retry after the window
            ["ApiClients:NotExternalContactRetries"] = "2",
            ["ApiClients:RetryBaseDelay"] = "00:00:05",
            ["ApiClients:RetryMaxDelay"] = "00:00:10",
            ["ApiClients:AttemptTimeout"] = "00:01:00", // on the fake clock, which runs while an attempt is under way
        });
    }

    public void Dispose()
    {
        _app.Dispose();
        _fake.Dispose();
    }

    /// <summary>Sends a welcome for a code issued now and runs the fake clock until the call ends.</summary>
    private async Task<Exception?> SendAsync(TimeSpan? deadlineIn = null)
    {
        var code = _fake.IssueWelcomeCode("zhangsan", "wmAlice");
        var deadline = new CallDeadline(_clock.GetUtcNow() + (deadlineIn ?? Window), _clock);
        var call = _app.WeCom.SendWelcomeMessageAsync(ApiHost.App, new WelcomeMessageRequest(code, new TextContent("Hi")), default, deadline);
        // The retry delays wait on this clock: it runs once the first attempt has arrived (a token fetch before it
        // takes no time on it), in small steps.
        await Eventually.True(() =>
        {
            if (!call.IsCompleted && _fake.Journal.Count(Welcome) > 0) _clock.Advance(TimeSpan.FromMilliseconds(100));
            return call.IsCompleted;
        }, TimeSpan.FromSeconds(90), "the welcome call ended");
        return call.Exception?.InnerException;
    }

    private DateTimeOffset[] Attempts() => _fake.Journal.For(Welcome).Select(e => e.Time).ToArray();

    [Fact]
    public async Task A_contact_not_yet_visible_is_retried_inside_the_window_and_the_welcome_goes()
    {
        var start = _clock.GetUtcNow();
        _fake.Faults.ErrCode(84061, Welcome, times: 1);

        Assert.Null(await SendAsync());

        var attempts = Attempts();
        Assert.Equal([84061, 0], _fake.Journal.For(Welcome).Select(e => e.ErrCode));
        Assert.InRange(attempts[1] - start, TimeSpan.FromSeconds(5), Window - TimeSpan.FromSeconds(1)); // a third of the window
        Assert.Single(_fake.Data.SentWelcomeMessages);
    }

    [Fact]
    public async Task A_contact_never_visible_is_retried_inside_the_window_then_fails_with_84061()
    {
        var deadline = _clock.GetUtcNow() + Window;
        _fake.Faults.ErrCode(84061, Welcome);

        var e = Assert.IsType<ApiException>(await SendAsync());

        Assert.Equal((84061, false), (e.ErrCode, e.OutcomeUnknown));
        var attempts = Attempts();
        Assert.Equal(3, attempts.Length); // the first call and NotExternalContactRetries (2)
        Assert.All(attempts, t => Assert.True(t < deadline, $"an attempt arrived at {t:O}, after the deadline {deadline:O}"));
    }

    [Fact]
    public async Task No_retry_starts_when_its_delay_would_end_past_the_deadline()
    {
        _fake.Faults.ErrCode(-1, Welcome); // busy: certainly not done, retried after 5 s or more

        var e = Assert.IsType<ApiException>(await SendAsync(TimeSpan.FromSeconds(2)));

        Assert.Equal((-1, false), (e.ErrCode, e.OutcomeUnknown));
        Assert.Single(Attempts());
    }

    [Fact]
    public async Task A_call_whose_deadline_has_passed_makes_no_attempt_and_is_certainly_not_done()
    {
        var e = Assert.IsType<ApiException>(await SendAsync(TimeSpan.FromSeconds(-1)));

        Assert.Equal((ApiErrorClass.Transient, false), (e.Class, e.OutcomeUnknown));
        Assert.Empty(Attempts());
    }

    [Theory]
    [InlineData(0, 19.5, 6.5)]  // two retries left: a third of the time left
    [InlineData(1, 13.0, 6.5)]  // one left: half
    [InlineData(0, 90.0, 20.0)] // never longer than NotExternalContactDelay
    public void Retries_of_84061_are_spread_over_the_time_left(int attempt, double leftSeconds, double delaySeconds)
    {
        var options = new ApiClientOptions { NotExternalContactRetries = 2, NotExternalContactDelay = TimeSpan.FromSeconds(20) };
        var failure = new ApiException(Welcome, 84061, "not external contact", ApiErrorClass.Transient);

        Assert.Equal(TimeSpan.FromSeconds(delaySeconds), ApiPipelines.DeadlineDelay(failure, attempt, TimeSpan.FromSeconds(leftSeconds), options));
        Assert.Null(ApiPipelines.DeadlineDelay(failure, attempt, TimeSpan.Zero, options));
    }
}
