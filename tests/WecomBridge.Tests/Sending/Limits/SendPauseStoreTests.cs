using StackExchange.Redis;
using WecomBridge.RateLimits;
using WecomBridge.Sending.Limits;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Sending.Limits;

/// <summary>
/// The pause store's decisions, the same in Redis (shared by instances) and in memory: a throttle pause grows while
/// throttles follow each other and starts short again after a quiet period; one caller starts a pause, claims a
/// probe, lifts a pause. Times are the caller's, so a fixed clock drives both.
/// </summary>
public sealed class SendPauseStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-11-23T06:00:00Z");
    private static readonly ThrottleRule Rule = new(TimeSpan.FromSeconds(60), 2, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10),
        TimeSpan.Zero, null);

    private ConnectionMultiplexer? _redis;

    public static TheoryData<string> Stores => new("redis", "memory");

    public async Task InitializeAsync() => _redis = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis);

    public Task DisposeAsync()
    {
        _redis?.Dispose();
        return Task.CompletedTask;
    }

    private ISendPauseStore Store(string kind) => kind == "redis" ? new RedisSendPauseStore(_redis!) : new InMemorySendPauseStore();

    // The corp is the scope's own random one: a pause of a configured corp (acme) left in the shared Redis would turn
    // other tests' readiness check 'sending' Degraded.
    private static SendPause Proposal(string scope, string cause = PauseCauses.Throttled, int? errCode = 45009) =>
        new(scope, cause, scope.Split(':')[1], null, null, "externalcontact/add_msg_template", errCode, $"errcode {errCode}", "wait");

    private static string NewScope() => "wecom:t" + Guid.NewGuid().ToString("N")[..10] + ":externalcontact/add_msg_template";

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_throttle_pause_grows_while_throttles_follow_and_is_joined_not_restarted_while_on(string kind)
    {
        var store = Store(kind);
        var scope = NewScope();

        var first = await store.ThrottleAsync(Proposal(scope), Rule, T0);
        var straggler = await store.ThrottleAsync(Proposal(scope), Rule, T0.AddSeconds(30));
        var second = await store.ThrottleAsync(Proposal(scope), Rule, T0.AddSeconds(61));
        var third = await store.ThrottleAsync(Proposal(scope), Rule, second.Pause.Until.AddSeconds(1));
        var fourth = await store.ThrottleAsync(Proposal(scope), Rule, third.Pause.Until.AddSeconds(1));

        Assert.Equal((true, 0, T0.AddSeconds(60)), (first.Started, first.Pause.Level, first.Pause.Until));
        Assert.Equal((false, T0, T0.AddSeconds(60)), (straggler.Started, straggler.Pause.Since, straggler.Pause.Until));
        Assert.Equal((true, 1, TimeSpan.FromSeconds(120)), (second.Started, second.Pause.Level, second.Pause.Until - second.Pause.Since));
        Assert.Equal((2, TimeSpan.FromSeconds(240)), (third.Pause.Level, third.Pause.Until - third.Pause.Since));
        Assert.Equal((3, TimeSpan.FromMinutes(5)), (fourth.Pause.Level, fourth.Pause.Until - fourth.Pause.Since)); // MaxPause
        Assert.Equal((scope.Split(':')[1], 45009, "errcode 45009"), (fourth.Pause.Corp, fourth.Pause.ErrCode, fourth.Pause.Reason));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task After_the_quiet_period_the_next_throttle_pause_is_short_again(string kind)
    {
        var store = Store(kind);
        var scope = NewScope();
        await store.ThrottleAsync(Proposal(scope), Rule, T0);
        var grown = await store.ThrottleAsync(Proposal(scope), Rule, T0.AddSeconds(61));

        var later = grown.Pause.Until + Rule.Quiet + TimeSpan.FromSeconds(1);
        var again = await store.ThrottleAsync(Proposal(scope), Rule, later);

        Assert.Equal(1, grown.Pause.Level);
        Assert.Equal((true, 0, later.AddSeconds(60)), (again.Started, again.Pause.Level, again.Pause.Until));
    }

    [Fact]
    public async Task On_Redis_a_throttle_record_lives_under_its_bucket_for_the_departure_check_and_expires_a_quiet_period_after_its_end()
    {
        var store = new RedisSendPauseStore(_redis!);
        var scope = NewScope();
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

        var pause = await store.ThrottleAsync(Proposal(scope), Rule, now);

        var db = _redis!.GetDatabase();
        Assert.Equal(pause.Pause.UntilMs, (long)await db.HashGetAsync(RedisRateLimiter.PauseKey(scope), RedisRateLimiter.PausedUntilField));
        var ttl = await db.KeyTimeToLiveAsync(RedisRateLimiter.PauseKey(scope));
        Assert.InRange(ttl!.Value, Rule.Base + Rule.Quiet - TimeSpan.FromSeconds(5), Rule.Base + Rule.Quiet);
        Assert.Contains(await store.AllAsync(), p => p.Scope == scope);
        await db.KeyDeleteAsync(RedisRateLimiter.PauseKey(scope)); // as its expiry would: gone from readiness and its index too
        Assert.DoesNotContain(await store.AllAsync(), p => p.Scope == scope);
        Assert.False(await db.SortedSetScoreAsync("wb:pauses:throttled-index", scope) is not null);
    }

    [Fact]
    public async Task In_memory_a_throttle_record_is_dropped_a_quiet_period_after_its_end()
    {
        var store = new InMemorySendPauseStore();
        var old = await store.ThrottleAsync(Proposal(NewScope()), Rule, T0);

        await store.ThrottleAsync(Proposal(NewScope()), Rule, old.Pause.Until + Rule.Quiet - TimeSpan.FromSeconds(1));
        Assert.Contains(await store.AllAsync(), p => p.Scope == old.Pause.Scope);
        await store.ThrottleAsync(Proposal(NewScope()), Rule, old.Pause.Until + Rule.Quiet);

        Assert.DoesNotContain(await store.AllAsync(), p => p.Scope == old.Pause.Scope);
        Assert.Null(store.ThrottledUntil(old.Pause.Scope));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_fixed_end_replaces_the_growing_length_and_a_minimum_holds(string kind)
    {
        var store = Store(kind);
        var midnight = T0.Date.AddDays(1);
        var quota = await store.ThrottleAsync(Proposal(NewScope(), PauseCauses.Quota), Rule with { FixedUntil = midnight }, T0);
        var minute = await store.ThrottleAsync(Proposal(NewScope()), Rule with { Base = TimeSpan.FromSeconds(1), Min = TimeSpan.FromSeconds(60) }, T0);

        Assert.Equal(new DateTimeOffset(midnight, TimeSpan.Zero), quota.Pause.Until);
        Assert.Equal(T0.AddSeconds(60), minute.Pause.Until);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_configuration_pause_is_started_once_probed_by_one_caller_and_lifted_once(string kind)
    {
        var store = Store(kind);
        var scope = "wecom:t" + Guid.NewGuid().ToString("N")[..10] + ":app:crm";
        var probe = TimeSpan.FromMinutes(5);
        var config = Proposal(scope, PauseCauses.Configuration, 60020);

        var started = await store.PauseConfigurationAsync(config, probe, T0);
        var again = await store.PauseConfigurationAsync(config, probe, T0.AddSeconds(10));
        var early = await store.ClaimProbeAsync(scope, probe, T0.AddMinutes(1));
        var due = T0.AddSeconds(10) + probe;
        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => store.ClaimProbeAsync(scope, probe, due)));
        var lifts = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => store.LiftAsync(scope)));
        var afterLift = await store.ClaimProbeAsync(scope, probe, due);

        Assert.Equal((true, T0, T0 + probe), (started.Started, started.Pause.Since, started.Pause.Until));
        Assert.Equal((false, T0, due), (again.Started, again.Pause.Since, again.Pause.Until)); // the same pause: the next probe moves on
        Assert.Equal((false, due), (early.Claimed, early.Pause!.Until));
        Assert.Single(claims, c => c.Claimed);
        Assert.All(claims.Where(c => !c.Claimed), c => Assert.Equal(due + probe, c.Pause!.Until));
        Assert.Equal(60020, Assert.Single(lifts.OfType<SendPause>()).ErrCode);
        Assert.Equal((true, null), afterLift);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Another_configuration_errcode_of_the_same_scope_is_a_new_pause(string kind)
    {
        var store = Store(kind);
        var scope = "wecom:t" + Guid.NewGuid().ToString("N")[..10] + ":contact";
        await store.PauseConfigurationAsync(Proposal(scope, PauseCauses.Configuration, 60020), TimeSpan.FromMinutes(5), T0);

        var other = await store.PauseConfigurationAsync(Proposal(scope, PauseCauses.Configuration, 40001), TimeSpan.FromMinutes(5), T0.AddMinutes(1));

        Assert.Equal((true, 40001, T0.AddMinutes(1)), (other.Started, other.Pause.ErrCode, other.Pause.Since));
        var (_, configured) = await store.FindAsync("none", [scope, "wecom:nothing"]);
        Assert.Equal(40001, Assert.Single(configured).ErrCode);
        Assert.Contains(await store.AllAsync(), p => p.Scope == scope);
    }

    [Fact]
    public async Task A_hostile_or_broken_record_in_Redis_counts_as_no_pause_and_is_overwritten()
    {
        var store = new RedisSendPauseStore(_redis!);
        var db = _redis!.GetDatabase();
        var throttled = NewScope();
        var configured = "wecom:t" + Guid.NewGuid().ToString("N")[..10] + ":contact";
        var oversized = NewScope();
        await db.HashSetAsync(RedisRateLimiter.PauseKey(throttled), "json", "{\"untilMs\": \"soon\", \"level\": [1]");
        await db.HashSetAsync("wb:pauses:configuration", configured, "not json at all");
        await db.HashSetAsync(RedisRateLimiter.PauseKey(oversized), "json", "{\"scope\":\"" + new string('x', 100_000) + "\",\"untilMs\":1}");

        var (throttle, config) = await store.FindAsync(throttled, [configured]);
        var big = (await store.FindAsync(oversized, [])).Throttle;
        var restarted = await store.ThrottleAsync(Proposal(throttled), Rule, T0);
        var probed = await store.ClaimProbeAsync(configured, TimeSpan.FromMinutes(5), T0);
        var paused = await store.PauseConfigurationAsync(Proposal(configured, PauseCauses.Configuration, 40001), TimeSpan.FromMinutes(5), T0);

        Assert.Null(throttle);
        Assert.Empty(config);
        Assert.Null(big);
        Assert.Equal((true, 0, T0.AddSeconds(60)), (restarted.Started, restarted.Pause.Level, restarted.Pause.Until));
        Assert.Equal((true, null), probed);
        Assert.True(paused.Started);
        await db.KeyDeleteAsync(RedisRateLimiter.PauseKey(throttled)); // one by one: two corps' keys lie in two cluster slots
        await db.KeyDeleteAsync(RedisRateLimiter.PauseKey(oversized));
        await db.HashDeleteAsync("wb:pauses:configuration", configured);
    }
}
