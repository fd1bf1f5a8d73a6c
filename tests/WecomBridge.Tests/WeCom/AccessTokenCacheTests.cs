using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using WecomBridge.Fakes;
using WecomBridge.Tests.Infrastructure;
using WecomBridge.WeCom;
using WecomBridge.WeCom.Tokens;

namespace WecomBridge.Tests.WeCom;

public class AccessTokenCacheTests
{
    private const string GetToken = "/cgi-bin/gettoken";

    [Fact]
    public async Task A_token_is_refreshed_ahead_of_expiry_and_replaced_when_it_expires()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var fake = WeComFake.Start(new FakeOptions { TimeProvider = time });
        using var app = ApiHost.Start(fake.BaseUrl, time: time);
        var read = () => app.WeCom.GetCorpTagsAsync(ApiHost.Contact);

        await read();
        time.Advance(TimeSpan.FromMinutes(110));
        await read();
        Assert.Equal(1, fake.Journal.Count(GetToken));

        time.Advance(TimeSpan.FromMinutes(6)); // 4 minutes left: refreshed (WeCom answers the same token until it expires)
        await read();
        await read();
        Assert.Equal(2, fake.Journal.Count(GetToken));

        time.Advance(TimeSpan.FromMinutes(5)); // expired: a new token, fetched before any call is refused
        await read();
        Assert.Equal(3, fake.Journal.Count(GetToken));
        Assert.All(fake.Journal.Entries, e => Assert.Equal(0, e.ErrCode));
    }

    [Fact]
    public async Task A_caller_uses_the_old_token_while_another_instance_refreshes_it()
    {
        using var fake = WeComFake.Start();
        var prefix = ApiHost.NewPrefix();
        using var app = ApiHost.Start(fake.BaseUrl, redis: true, prefix: prefix);
        var key = prefix + ApiHost.Contact.TokenKey;
        var now = DateTimeOffset.UtcNow;
        var store = app.Services.GetRequiredService<IAccessTokenStore>();
        await store.SetAsync(key, new CachedToken(fake.IssueToken(), now.AddMinutes(-1), now.AddMinutes(3)), TimeSpan.FromMinutes(3));
        await store.TryLockAsync(key, "another-instance", TimeSpan.FromMinutes(1));

        await app.WeCom.GetCorpTagsAsync(ApiHost.Contact);

        Assert.Equal(0, fake.Journal.Count(GetToken));
    }

    [Fact]
    public async Task A_caller_with_no_token_waits_for_another_instances_refresh_with_a_bound()
    {
        using var fake = WeComFake.Start();
        var prefix = ApiHost.NewPrefix();
        using var app = ApiHost.Start(fake.BaseUrl, redis: true, prefix: prefix,
            settings: new Dictionary<string, string?> { ["ApiClients:TokenWaitBound"] = "00:00:00.500" });
        var redis = app.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        await redis.StringSetAsync(prefix + ApiHost.Contact.TokenKey + ":lock", "a-dead-instance", TimeSpan.FromMinutes(1));

        var e = await Assert.ThrowsAsync<ApiException>(() => app.WeCom.GetCorpTagsAsync(ApiHost.Contact));

        Assert.Equal((ApiErrorClass.Transient, false, GetToken), (e.Class, e.OutcomeUnknown, e.Path));
        Assert.Equal(0, fake.Journal.Count(GetToken));
    }

    [Fact]
    public async Task A_token_store_that_is_down_fails_the_call_as_transient_and_not_sent()
    {
        using var fake = WeComFake.Start();
        using var app = ApiHost.Start(fake.BaseUrl, settings: new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = $"127.0.0.1:{TestServers.FreePort()},connectTimeout=200,asyncTimeout=300",
        });

        var e = await Assert.ThrowsAsync<ApiException>(() => app.WeCom.SendWelcomeMessageAsync(ApiHost.Contact, new("code")));

        Assert.Equal((ApiErrorClass.Transient, false, GetToken), (e.Class, e.OutcomeUnknown, e.Path));
        Assert.Empty(fake.Journal.Entries);
    }

    [Fact]
    public async Task Invalidation_keeps_a_token_that_was_already_replaced()
    {
        var store = new RedisAccessTokenStore(await ConnectionMultiplexer.ConnectAsync(TestServers.Redis));
        var key = ApiHost.NewPrefix() + "k";
        var now = DateTimeOffset.UtcNow;
        await store.SetAsync(key, new CachedToken("new", now.AddHours(1), now.AddHours(2)), TimeSpan.FromHours(2));

        await store.InvalidateAsync(key, "old");
        Assert.Equal("new", (await store.GetAsync(key))?.Value);

        await store.InvalidateAsync(key, "new");
        Assert.Null(await store.GetAsync(key));
    }
}
