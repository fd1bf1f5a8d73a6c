using WecomBridge.Fakes;

namespace WecomBridge.Tests.WeCom;

public sealed class WeComGroupChatsClientTests : IDisposable
{
    private readonly WeComFake _fake = WeComFake.Start();
    private readonly ApiHost _app;

    public WeComGroupChatsClientTests() => _app = ApiHost.Start(_fake.BaseUrl);

    [Fact]
    public async Task List_follows_the_cursor()
    {
        var chats = await _app.WeCom.ListGroupChatsAsync(ApiHost.Contact, pageSize: 1).ToListAsync();

        Assert.Equal(["wrChatVip", "wrChatSupport"], chats.Select(c => c.ChatId));
        Assert.Equal(2, _fake.Journal.Count("/cgi-bin/externalcontact/groupchat/list"));
    }

    [Fact]
    public async Task List_filters_by_owner()
    {
        var page = await _app.WeCom.ListGroupChatsPageAsync(ApiHost.Contact, cursor: null, owners: ["lisi"]);

        Assert.Equal("wrChatSupport", Assert.Single(page.GroupChatList!).ChatId);
        Assert.True(string.IsNullOrEmpty(page.NextCursor));
    }

    [Fact]
    public async Task Get_gives_members_admins_and_version()
    {
        var chat = await _app.WeCom.GetGroupChatAsync(ApiHost.Contact, "wrChatVip");

        Assert.Equal(("VIP customers", "zhangsan", "v1"), (chat.Name, chat.Owner, chat.MemberVersion));
        var alice = Assert.Single(chat.MemberList!, m => m.Type == 2);
        Assert.Equal(("wmAlice", "zhangsan", "Alice", "Al"), (alice.UserId, alice.Invitor!.UserId, alice.Name, alice.GroupNickname));
        Assert.Equal("lisi", Assert.Single(chat.AdminList!).UserId);
    }

    public void Dispose()
    {
        _app.Dispose();
        _fake.Dispose();
    }
}
