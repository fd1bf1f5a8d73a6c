using WecomBridge.Fakes;
using WecomBridge.WeCom.Models;

namespace WecomBridge.Tests.WeCom;

public sealed class WeComContactsClientTests : IDisposable
{
    private readonly WeComFake _fake = WeComFake.Start(new FakeOptions { FollowUserPageSize = 1 });
    private readonly ApiHost _app;

    public WeComContactsClientTests() => _app = ApiHost.Start(_fake.BaseUrl);

    [Fact]
    public async Task Get_reads_every_page_of_follow_users_with_their_tags()
    {
        var bob = await _app.WeCom.GetExternalContactAsync(ApiHost.Contact, "wmBob");

        Assert.Equal(("wmBob", "Bob", 1, "unBob"), (bob.Contact.ExternalUserId, bob.Contact.Name, bob.Contact.Type, bob.Contact.UnionId));
        Assert.Equal(["zhangsan", "lisi"], bob.FollowUsers.Select(f => f.UserId));
        Assert.Equal("etTagNormal", Assert.Single(bob.FollowUsers[0].Tags!).TagId);
        Assert.Equal(2, _fake.Journal.Count("/cgi-bin/externalcontact/get"));
        Assert.Equal(1, _fake.Journal.Count("/cgi-bin/gettoken"));
        Assert.DoesNotContain(_fake.Journal.Entries, e => e.Query.Contains("debug"));
        _fake.AssertNoUnexpectedCalls();
    }

    [Fact]
    public async Task List_gives_a_members_customers()
    {
        var ids = await _app.WeCom.ListExternalContactsAsync(ApiHost.Contact, "zhangsan");

        Assert.Equal(["wmAlice", "wmBob"], ids);
    }

    [Fact]
    public async Task Batch_get_by_user_follows_the_cursor()
    {
        var pairs = await _app.WeCom.GetContactsByUserAsync(ApiHost.Contact, ["zhangsan", "lisi"], pageSize: 2).ToListAsync();

        Assert.Equal(4, pairs.Count);
        Assert.Contains(pairs, p => p.ExternalContact.ExternalUserId == "wmAlice" && p.FollowInfo.TagId!.Contains("etTagVip"));
        Assert.Equal(2, _fake.Journal.Count("/cgi-bin/externalcontact/batch/get_by_user"));
    }

    [Fact]
    public async Task Corp_tags_are_read_and_marked()
    {
        var groups = await _app.WeCom.GetCorpTagsAsync(ApiHost.Contact);
        Assert.Equal(["etGroupLevel", "etGroupSource"], groups.Select(g => g.GroupId));
        Assert.Equal(["VIP", "Normal"], groups[0].Tag!.Select(t => t.Name));

        await _app.WeCom.MarkTagAsync(ApiHost.Contact, new MarkTagRequest("lisi", "wmCarol", ["etTagVip"], null));

        Assert.Equal(["etTagVip"], _fake.Data.Contact("wmCarol")!.FollowUsers[0].TagIds);
    }

    [Fact]
    public async Task Remark_sets_the_members_remark()
    {
        await _app.WeCom.RemarkAsync(ApiHost.Contact, new RemarkRequest("zhangsan", "wmAlice", Remark: "Alice 🌸", Description: "met at the fair"));

        var follow = _fake.Data.Contact("wmAlice")!.FollowUsers[0];
        Assert.Equal(("Alice 🌸", "met at the fair"), (follow.Remark, follow.Description));
    }

    public void Dispose()
    {
        _app.Dispose();
        _fake.Dispose();
    }
}
