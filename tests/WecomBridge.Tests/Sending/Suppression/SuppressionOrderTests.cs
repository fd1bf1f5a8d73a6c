using StackExchange.Redis;
using WecomBridge.Sending.Suppression;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Sending.Suppression;

/// <summary>Changes apply in the order of their time, not of their arrival, in both list implementations.</summary>
public class SuppressionOrderTests
{
    public static TheoryData<string> Lists => new() { "redis", "memory" };

    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);

    private static async Task<(ISuppressionList List, IDisposable? Connection, string Scope)> CreateAsync(string kind)
    {
        var scope = "test:" + Guid.NewGuid().ToString("N");
        if (kind == "memory") return (new InMemorySuppressionList(), null, scope);
        var redis = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis);
        return (new RedisSuppressionList(redis), redis, scope);
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task A_delete_that_arrives_after_a_newer_re_add_is_ignored(string kind)
    {
        var (list, connection, scope) = await CreateAsync(kind);
        using var _ = connection;

        Assert.False(await list.RemoveAsync(scope, "zhangsan/wmAlice", T0.AddSeconds(2))); // re-added at t2, nothing to lift yet
        Assert.False(await list.AddAsync(scope, "zhangsan/wmAlice", "customer-deleted-employee", T0.AddSeconds(1))); // deleted at t1

        Assert.Null(await list.FindAsync(scope, "zhangsan/wmAlice"));
        Assert.Empty(await list.FindManyAsync(scope, ["zhangsan/wmAlice"]));
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task A_re_add_that_arrives_after_a_newer_delete_is_ignored(string kind)
    {
        var (list, connection, scope) = await CreateAsync(kind);
        using var _ = connection;

        Assert.True(await list.AddAsync(scope, "zhangsan/wmAlice", "customer-deleted-employee", T0.AddSeconds(2)));
        Assert.False(await list.RemoveAsync(scope, "zhangsan/wmAlice", T0.AddSeconds(1)));

        Assert.Equal("customer-deleted-employee", (await list.FindAsync(scope, "zhangsan/wmAlice"))?.Reason);
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task In_order_changes_apply_and_a_redelivered_one_changes_nothing(string kind)
    {
        var (list, connection, scope) = await CreateAsync(kind);
        using var _ = connection;

        Assert.True(await list.AddAsync(scope, "oAlice", "unsubscribed", T0));
        Assert.True(await list.RemoveAsync(scope, "oAlice", T0.AddSeconds(1)));
        Assert.False(await list.AddAsync(scope, "oAlice", "unsubscribed", T0)); // the unsubscribe redelivered
        Assert.Null(await list.FindAsync(scope, "oAlice"));
        Assert.True(await list.AddAsync(scope, "oAlice", "unsubscribed", T0.AddSeconds(3)));
        Assert.Equal(new WecomBridge.Sending.Suppression.Suppression("unsubscribed", T0.AddSeconds(3)), await list.FindAsync(scope, "oAlice"));
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task A_subscribe_lifts_only_an_unsubscribe_and_an_older_unsubscribe_after_it_is_ignored(string kind)
    {
        var (list, connection, scope) = await CreateAsync(kind);
        using var _ = connection;
        await list.AddAsync(scope, "oBlocker", "user-blocked", T0);

        Assert.False(await list.RemoveAsync(scope, "oBlocker", T0.AddSeconds(1), onlyReason: "unsubscribed"));
        Assert.Equal("user-blocked", (await list.FindAsync(scope, "oBlocker"))?.Reason);

        // Subscribed at t2 arrives before the unsubscribe of t1.
        Assert.False(await list.RemoveAsync(scope, "oCarol", T0.AddSeconds(2), onlyReason: "unsubscribed"));
        Assert.False(await list.AddAsync(scope, "oCarol", "unsubscribed", T0.AddSeconds(1)));
        Assert.Null(await list.FindAsync(scope, "oCarol"));
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task An_operator_delete_at_request_time_lifts_an_older_event_and_a_later_old_event_stays_ignored(string kind)
    {
        var (list, connection, scope) = await CreateAsync(kind);
        using var _ = connection;
        await list.AddAsync(scope, "*/wmBob", "operator", T0);

        Assert.True(await list.RemoveAsync(scope, "*/wmBob", T0.AddMinutes(5)));
        Assert.False(await list.AddAsync(scope, "*/wmBob", "operator", T0.AddMinutes(1))); // a spooled event of before the delete

        Assert.Null(await list.FindAsync(scope, "*/wmBob"));
    }
}
