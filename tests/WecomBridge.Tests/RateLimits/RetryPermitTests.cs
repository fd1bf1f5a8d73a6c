using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using WecomBridge.Fakes;
using WecomBridge.RateLimits;
using WecomBridge.Tests.WeCom;
using WecomBridge.WeCom;
using WecomBridge.WeCom.Models;

namespace WecomBridge.Tests.RateLimits;

/// <summary>Every HTTP attempt of a paced call counts: a retry inside the client's pipeline takes a permit of the API bucket.</summary>
public sealed class RetryPermitTests : IDisposable
{
    private const string Api = "externalcontact/add_msg_template";
    private const string Template = "/cgi-bin/" + Api;
    private static readonly RateBucket Bucket = RateBucket.Paced("wecom:acme:" + Api, new RateLimit(100, TimeSpan.FromSeconds(5)), 0.03);
    private readonly WeComFake _fake = WeComFake.Start();
    private readonly RecordingLimiter _limiter = new();
    private readonly FailingSlots _slots = new();
    private readonly ApiHost _app;

    public RetryPermitTests() => _app = ApiHost.Start(_fake.BaseUrl, services: s => s
        .AddSingleton<IRateLimiter>(_limiter).AddSingleton<IConcurrencySlots>(_slots));

    private async Task<MsgTemplateResult> AddTemplate(int? concurrency = null)
    {
        using var _ = PacedCall.Begin(new PacedCall(Api, Bucket, concurrency));
        return await _app.WeCom.AddMsgTemplateAsync(ApiHost.Contact,
            new MsgTemplateRequest(ExternalUserIds: ["wmAlice"], Sender: "zhangsan", Text: new TextContent("hello")));
    }

    [Fact]
    public async Task A_retry_after_busy_takes_a_permit_of_the_api_bucket_and_the_first_attempt_does_not()
    {
        _fake.Faults.ErrCode(-1, Template, times: 1);

        await AddTemplate(concurrency: 1);

        Assert.Equal(2, _fake.Journal.Count(Template));
        Assert.Equal([Bucket.Key], _limiter.Reserved); // the retry's; the caller paid for the first attempt
        Assert.Equal(2, _limiter.Departures);          // but every attempt passes the departure check
    }

    [Fact]
    public async Task A_call_without_retries_takes_no_permit_here_and_an_unpaced_call_none_at_all()
    {
        await AddTemplate();
        _fake.Faults.ErrCode(-1, Template, times: 1);
        await _app.WeCom.AddMsgTemplateAsync(ApiHost.Contact,
            new MsgTemplateRequest(ExternalUserIds: ["wmAlice"], Sender: "zhangsan", Text: new TextContent("again")));

        Assert.Equal(3, _fake.Journal.Count(Template));
        Assert.Empty(_limiter.Reserved);
    }

    [Fact]
    public async Task A_retry_without_a_permit_in_time_is_not_sent_and_fails_as_certainly_not_sent()
    {
        _limiter.Refuse = true;
        _fake.Faults.ErrCode(-1, Template, times: 1);

        var e = await Assert.ThrowsAsync<ApiException>(() => AddTemplate());

        Assert.Equal((ApiErrorClass.Transient, false), (e.Class, e.OutcomeUnknown));
        Assert.Equal(1, _fake.Journal.Count(Template));
    }

    [Fact]
    public async Task A_call_that_meets_a_pause_longer_than_its_wait_at_departure_is_not_sent_and_fails_as_throttled()
    {
        var until = DateTimeOffset.UtcNow.AddMinutes(1);
        _limiter.PausedUntil = until;

        var e = await Assert.ThrowsAsync<ApiException>(() => AddTemplate());

        Assert.Equal((ApiErrorClass.Throttled, false, until), (e.Class, e.OutcomeUnknown, e.PausedUntil));
        Assert.Equal(0, _fake.Journal.Count(Template));
    }

    [Fact]
    public async Task A_departure_check_that_fails_in_redis_leaves_the_call_unsent_and_certainly_not_sent()
    {
        _limiter.Fail = true; // Redis failing over: the check's script gets no answer

        var e = await Assert.ThrowsAsync<ApiException>(() => AddTemplate(concurrency: 1));

        Assert.Equal((ApiErrorClass.Transient, false), (e.Class, e.OutcomeUnknown));
        Assert.Equal(0, _fake.Journal.Count(Template));
    }

    [Fact]
    public async Task A_concurrency_slot_that_cannot_be_left_after_the_call_does_not_lose_the_calls_answer()
    {
        _slots.FailLeave = true; // the answer came; Redis went away before the slot was left (its lease frees it)

        var result = await AddTemplate(concurrency: 1);

        Assert.False(string.IsNullOrEmpty(result.MsgId));
        Assert.Equal(1, _fake.Journal.Count(Template));
    }

    [Fact]
    public async Task A_departure_check_slow_enough_to_crowd_the_attempts_timeout_leaves_the_call_unsent()
    {
        // A Redis that answers late (failing over): the check returns "go" when 3/4 of the attempt are gone. A request
        // sent then could be cut off by the timeout after leaving; it is not sent, certainly.
        using var app = ApiHost.Start(_fake.BaseUrl, settings: new Dictionary<string, string?> { ["ApiClients:AttemptTimeout"] = "00:00:00.400" },
            services: s => s.AddSingleton<IRateLimiter>(_limiter).AddSingleton<IConcurrencySlots>(_slots));
        _limiter.DepartDelay = TimeSpan.FromMilliseconds(350);

        using var _ = PacedCall.Begin(new PacedCall(Api, Bucket, null));
        var e = await Assert.ThrowsAsync<ApiException>(() => app.WeCom.AddMsgTemplateAsync(ApiHost.Contact,
            new MsgTemplateRequest(ExternalUserIds: ["wmAlice"], Sender: "zhangsan", Text: new TextContent("late"))));

        Assert.Equal((ApiErrorClass.Transient, false), (e.Class, e.OutcomeUnknown));
        Assert.Equal(0, _fake.Journal.Count(Template));
    }

    public void Dispose()
    {
        _app.Dispose();
        _fake.Dispose();
    }

    private sealed class RecordingLimiter : IRateLimiter
    {
        private readonly List<string> _reserved = [];

        public bool Refuse { get; set; }

        public IReadOnlyList<string> Reserved
        {
            get { lock (_reserved) return _reserved.ToArray(); }
        }

        public Task<RateGrant> ReserveAsync(IReadOnlyList<RateBucket> buckets, TimeSpan maxWait)
        {
            if (Refuse) return Task.FromResult(new RateGrant(false, TimeSpan.FromMinutes(1), DateTimeOffset.UtcNow));
            lock (_reserved) _reserved.AddRange(buckets.Select(b => b.Key));
            return Task.FromResult(new RateGrant(true, TimeSpan.Zero, DateTimeOffset.UtcNow));
        }

        public int Departures => Volatile.Read(ref _departures);

        private int _departures;

        public DateTimeOffset? PausedUntil { get; set; }

        public bool Fail { get; set; }

        public TimeSpan DepartDelay { get; set; }

        public async Task<Departure> DepartAsync(RateBucket bucket, TimeSpan spread)
        {
            if (Fail) throw new RedisConnectionException(ConnectionFailureType.SocketClosed, "no master for the slot");
            if (PausedUntil is { } until) return new Departure(until - DateTimeOffset.UtcNow, until);
            if (DepartDelay > TimeSpan.Zero) await Task.Delay(DepartDelay); // the store's answer is late, then "go"
            Interlocked.Increment(ref _departures);
            return Departure.Go;
        }
    }

    private sealed class FailingSlots : IConcurrencySlots
    {
        private readonly InMemoryConcurrencySlots _inner = new(TimeProvider.System);

        public bool FailLeave { get; set; }

        public Task<bool> TryEnterAsync(string bucket, int limit, string holder, TimeSpan lease) => _inner.TryEnterAsync(bucket, limit, holder, lease);

        public Task LeaveAsync(string bucket, string holder) => FailLeave
            ? throw new RedisConnectionException(ConnectionFailureType.SocketClosed, "the master died")
            : _inner.LeaveAsync(bucket, holder);
    }
}
