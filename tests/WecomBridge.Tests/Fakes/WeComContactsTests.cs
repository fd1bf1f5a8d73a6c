using System.Text.Json.Nodes;

namespace WecomBridge.Tests.Fakes;

public sealed class WeComContactsTests : IDisposable
{
    private readonly WeComFakeFixture _f = new(new() { FollowUserPageSize = 1 });

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task Get_pages_follow_users_by_cursor_and_expands_tags()
    {
        var token = await _f.TokenAsync();
        var first = await _f.GetAsync("/cgi-bin/externalcontact/get?external_userid=wmBob", token);
        Assert.Equal("Bob", first["external_contact"]!.Str("name"));
        Assert.Equal("zhangsan", first["follow_user"]![0]!.Str("userid"));
        Assert.Equal("Normal", first["follow_user"]![0]!["tags"]![0]!.Str("tag_name"));
        var cursor = first.Str("next_cursor");
        Assert.NotEmpty(cursor);

        var second = await _f.GetAsync($"/cgi-bin/externalcontact/get?external_userid=wmBob&cursor={cursor}", token);
        Assert.Equal("lisi", second["follow_user"]![0]!.Str("userid"));
        Assert.Equal("", second.Str("next_cursor"));
    }

    [Fact]
    public async Task Get_of_an_unknown_contact_gives_84061()
    {
        var answer = await _f.GetAsync("/cgi-bin/externalcontact/get?external_userid=wmNobody", await _f.TokenAsync());
        Assert.Equal(84061, answer.ErrCode());
    }

    [Fact]
    public async Task List_returns_the_members_customers()
    {
        var answer = await _f.GetAsync("/cgi-bin/externalcontact/list?userid=zhangsan", await _f.TokenAsync());
        Assert.Equal(["wmAlice", "wmBob"], answer["external_userid"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public async Task Batch_get_by_user_pages_contact_follow_pairs()
    {
        var token = await _f.TokenAsync();
        var body = new { userid_list = new[] { "zhangsan", "lisi" }, limit = 3 };
        var first = await _f.PostAsync("/cgi-bin/externalcontact/batch/get_by_user", body, token);
        Assert.Equal(3, first["external_contact_list"]!.AsArray().Count);
        Assert.Equal("etTagVip", first["external_contact_list"]![0]!["follow_info"]!["tag_id"]![0]!.GetValue<string>());
        var second = await _f.PostAsync("/cgi-bin/externalcontact/batch/get_by_user",
            new { userid_list = new[] { "zhangsan", "lisi" }, limit = 3, cursor = first.Str("next_cursor") }, token);
        Assert.Single(second["external_contact_list"]!.AsArray());
        Assert.Equal("", second.Str("next_cursor"));
    }

    [Fact]
    public async Task Corp_tag_list_filters_by_group_or_tag()
    {
        var token = await _f.TokenAsync();
        var all = await _f.PostAsync("/cgi-bin/externalcontact/get_corp_tag_list", new { }, token);
        Assert.Equal(2, all["tag_group"]!.AsArray().Count);
        var one = await _f.PostAsync("/cgi-bin/externalcontact/get_corp_tag_list", new { tag_id = new[] { "etTagAds" } }, token);
        Assert.Equal("Source", one["tag_group"]![0]!.Str("group_name"));
        Assert.Single(one["tag_group"]![0]!["tag"]!.AsArray());
    }

    [Fact]
    public async Task Mark_tag_and_remark_change_the_state()
    {
        var token = await _f.TokenAsync();
        var marked = await _f.PostAsync("/cgi-bin/externalcontact/mark_tag",
            new { userid = "zhangsan", external_userid = "wmAlice", add_tag = new[] { "etTagNormal" }, remove_tag = new[] { "etTagVip" } }, token);
        Assert.Equal(0, marked.ErrCode());
        var remarked = await _f.PostAsync("/cgi-bin/externalcontact/remark",
            new { userid = "zhangsan", external_userid = "wmAlice", remark = "Alice (new)" }, token);
        Assert.Equal(0, remarked.ErrCode());

        var follow = _f.Fake.Data.Contact("wmAlice")!.FollowUsers[0];
        Assert.Equal(["etTagAds", "etTagNormal"], follow.TagIds);
        Assert.Equal("Alice (new)", follow.Remark);
        var unknownTag = await _f.PostAsync("/cgi-bin/externalcontact/mark_tag",
            new { userid = "zhangsan", external_userid = "wmAlice", add_tag = new[] { "etNope" } }, token);
        Assert.Equal(40068, unknownTag.ErrCode());
    }

    [Fact]
    public async Task Group_chat_list_and_get_with_member_version()
    {
        var token = await _f.TokenAsync();
        var list = await _f.PostAsync("/cgi-bin/externalcontact/groupchat/list",
            new { status_filter = 0, owner_filter = new { userid_list = new[] { "zhangsan" } }, limit = 10 }, token);
        Assert.Equal("wrChatVip", Assert.Single(list["group_chat_list"]!.AsArray())!.Str("chat_id"));

        _f.Fake.Data.Chat("wrChatVip")!.MemberVersion = "v2";
        var chat = await _f.PostAsync("/cgi-bin/externalcontact/groupchat/get", new { chat_id = "wrChatVip", need_name = 1 }, token);
        Assert.Equal("v2", chat["group_chat"]!.Str("member_version"));
        Assert.Equal(3, chat["group_chat"]!["member_list"]!.AsArray().Count);
        Assert.Equal("Alice", chat["group_chat"]!["member_list"]![1]!.Str("name"));
        Assert.Equal(40058, (await _f.PostAsync("/cgi-bin/externalcontact/groupchat/list", new { limit = 0 }, token)).ErrCode());
    }

    [Fact]
    public async Task Fixture_from_a_file_replaces_the_default()
    {
        var path = Path.Combine(Path.GetTempPath(), $"fixture-{Guid.NewGuid():N}.json");
        var json = JsonNode.Parse(WecomBridge.Fakes.Data.Fixture.DefaultJson())!;
        json["wecom"]!["corpid"] = "wwfromfile";
        await File.WriteAllTextAsync(path, json.ToJsonString());
        try
        {
            using var fake = WecomBridge.Fakes.WeComFake.Start(new() { FixturePath = path });
            Assert.Equal("wwfromfile", fake.Data.CorpId);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
