using WecomBridge.Fakes;

namespace WecomBridge.Tests.WeCom;

/// <summary>Several instances (service providers with the app's registration) share one token through Redis.</summary>
public class SharedTokenTests
{
    private const string GetToken = "/cgi-bin/gettoken";
    private const string Tags = "/cgi-bin/externalcontact/get_corp_tag_list";

    private static async Task HundredCallers(ApiHost[] instances) =>
        await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Task.Run(() => instances[i % instances.Length].WeCom.GetCorpTagsAsync(ApiHost.Contact))));

    private static ApiHost[] Instances(WeComFake fake, int count, bool redis)
    {
        var prefix = ApiHost.NewPrefix();
        var instances = Enumerable.Range(0, count).Select(_ => ApiHost.Start(fake.BaseUrl, redis: redis, prefix: prefix)).ToArray();
        // A running instance has its singletons (and its Redis connection, which connects synchronously) already made.
        foreach (var instance in instances) _ = instance.WeCom;
        return instances;
    }

    [Theory]
    [InlineData(true, 3)]
    [InlineData(false, 1)]
    public async Task A_hundred_concurrent_callers_fetch_one_token(bool redis, int instanceCount)
    {
        using var fake = WeComFake.Start();
        var instances = Instances(fake, instanceCount, redis);
        try
        {
            await HundredCallers(instances);

            Assert.Equal(1, fake.Journal.Count(GetToken));
            Assert.Equal(100, fake.Journal.Count(Tags));
        }
        finally
        {
            foreach (var instance in instances) instance.Dispose();
        }
    }

    [Theory]
    [InlineData(true, 3, false)]
    [InlineData(true, 3, true)]
    [InlineData(false, 1, false)]
    [InlineData(false, 1, true)]
    public async Task A_forced_expiry_is_recovered_with_exactly_one_refresh(bool redis, int instanceCount, bool revoke)
    {
        using var fake = WeComFake.Start();
        var instances = Instances(fake, instanceCount, redis);
        try
        {
            await instances[0].WeCom.GetCorpTagsAsync(ApiHost.Contact);
            if (revoke) fake.Faults.RevokeTokens(); else fake.Faults.ExpireTokens();

            await HundredCallers(instances);

            Assert.Equal(2, fake.Journal.Count(GetToken));
            Assert.Equal(101, fake.Journal.For(Tags).Count(e => e.ErrCode == 0));
        }
        finally
        {
            foreach (var instance in instances) instance.Dispose();
        }
    }

    [Fact]
    public async Task Tokens_and_secrets_never_reach_the_logs()
    {
        using var fake = WeComFake.Start();
        using var oa = OfficialAccountFake.Start();
        using var app = ApiHost.Start(fake.BaseUrl, oa.BaseUrl, redis: true);

        await app.WeCom.GetCorpTagsAsync(ApiHost.Contact);
        fake.Faults.ExpireTokens();
        await app.WeCom.GetExternalContactAsync(ApiHost.Contact, "wmAlice");
        await app.OfficialAccount.GetFollowerAsync(ApiHost.Account, "oAlice");

        Assert.NotEmpty(app.Logs.Lines);
        foreach (var secret in new[] { fake.IssueToken(), oa.IssueToken(), "contact-secret", "oa-secret" })
            Assert.DoesNotContain(secret, app.Logs.All);
    }
}
