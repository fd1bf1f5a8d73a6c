using WecomBridge.Fakes;
using WecomBridge.Fakes.Data;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Polling;

/// <summary>The moments poller against the WeCom fake, with the real Redis and RabbitMQ.</summary>
public class MomentPollerTests
{
    private const string Exchange = "wecombridge.customer-moment-published";
    private const string MomentList = "/cgi-bin/externalcontact/get_moment_list";

    private static Dictionary<string, string?> Settings(WeComFake fake, string corp)
    {
        var settings = BridgeApp.WithServers();
        settings["WeCom:BaseUrl"] = fake.BaseUrl;
        settings[$"WeCom:Corps:{corp}:CorpId"] = "wwfakecorp0000001";
        settings[$"WeCom:Corps:{corp}:ContactSecret"] = "contact-secret";
        settings["Polling:Moments:Enabled"] = "true";
        settings["Polling:Moments:Interval"] = "00:00:00.200";
        settings["ApiClients:TokenKeyPrefix"] = $"test:token:{Guid.NewGuid():N}:";
        settings["Gateway:Spool:Path"] = Path.Combine(TestServers.TempRoot, "spool-" + Guid.NewGuid().ToString("N"));
        return settings;
    }

    private static Moment NewMoment(string id) => new()
    {
        MomentId = id,
        Creator = "zhangsan",
        CreateTime = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(),
        CreateType = 1,
        VisibleType = 1,
        Text = new MomentText { Content = "Spring collection" },
        Tasks = [new MomentTask { UserId = "zhangsan", PublishStatus = 1 }, new MomentTask { UserId = "lisi", PublishStatus = 0 }],
        Comments = [new MomentReaction { ExternalUserId = "wmAlice", OwnerUserId = "zhangsan" }, new MomentReaction { ExternalUserId = "wmBob", OwnerUserId = "zhangsan" }],
        Likes = [new MomentReaction { ExternalUserId = "wmCarol", OwnerUserId = "zhangsan" }],
    };

    [Fact]
    public async Task A_new_moment_is_published_once_with_its_task_and_comment_summary()
    {
        using var fake = WeComFake.Start();
        var momentId = "mom" + Guid.NewGuid().ToString("N");
        fake.Data.Moments.Add(NewMoment(momentId));
        await using var tap = await AmqpTap.BindAsync(TestServers.RabbitMq, Exchange);
        var corp = "m" + Guid.NewGuid().ToString("N")[..8];
        await using var app = new BridgeApp(Settings(fake, corp));
        _ = app.Services;

        var mine = await Eventually.Get(async () => (await tap.ReadAsync()).Where(m => m.GetProperty("momentId").GetString() == momentId).ToList(),
            list => list.Count > 0, what: "the moment published");
        var moment = mine[0];
        Assert.Equal(corp, moment.GetProperty("corp").GetString());
        Assert.Equal("zhangsan", moment.GetProperty("creator").GetString());
        Assert.Equal("Spring collection", moment.GetProperty("text").GetString());
        Assert.Equal(2, moment.GetProperty("membersAsked").GetInt32());
        Assert.Equal(["zhangsan"], moment.GetProperty("postedBy").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(2, moment.GetProperty("comments").GetInt32());
        Assert.Equal(1, moment.GetProperty("likes").GetInt32());

        // Several more polls list the same moment again: it is not published again.
        var polls = fake.Journal.Count(MomentList);
        await Eventually.True(() => fake.Journal.Count(MomentList) >= polls + 3, what: "three more polls");
        Assert.Single(await tap.ReadAsync(), m => m.GetProperty("momentId").GetString() == momentId);
        fake.AssertNoUnexpectedCalls();
    }

    [Fact]
    public async Task A_failed_poll_publishes_nothing_and_the_next_one_catches_up()
    {
        using var fake = WeComFake.Start();
        var momentId = "mom" + Guid.NewGuid().ToString("N");
        fake.Data.Moments.Add(NewMoment(momentId));
        fake.Faults.ErrCode(48002, MomentList, times: 3);
        await using var tap = await AmqpTap.BindAsync(TestServers.RabbitMq, Exchange);
        await using var app = new BridgeApp(Settings(fake, "m" + Guid.NewGuid().ToString("N")[..8]));
        _ = app.Services;

        await Eventually.True(async () => (await tap.ReadAsync()).Any(m => m.GetProperty("momentId").GetString() == momentId),
            what: "the moment published after the failures");
        Assert.True(fake.Journal.Count(MomentList) >= 4);
        Assert.Contains("errcode 48002", app.Logs.All);
    }
}
