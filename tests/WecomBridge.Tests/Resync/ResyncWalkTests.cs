using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WecomBridge.Contracts.Resync;
using WecomBridge.Fakes;
using WecomBridge.Tests.Api;

namespace WecomBridge.Tests.Resync;

/// <summary>Each scope walks every page (page sizes of 1 or 2), publishes an event per item and reports counts.</summary>
public sealed class ResyncWalkTests : IAsyncLifetime
{
    private readonly ApiApp _api = new(new FakeOptions { OpenIdPageSize = 2 }, new Dictionary<string, string?> { ["Resync:PageSize"] = "1" });

    public Task InitializeAsync() => Task.CompletedTask;
    public Task DisposeAsync() => _api.DisposeAsync().AsTask();

    private async Task<JsonElement> RunAsync(object body)
    {
        var client = _api.Client();
        var response = await ResyncClient.StartAsync(client, body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("running", accepted.GetProperty("state").GetString());
        Assert.EndsWith("/api/v1/resync/" + accepted.GetProperty("id").GetString(), response.Headers.Location!.ToString());
        var run = await ResyncClient.FinishedAsync(client, response.Headers.Location);
        Assert.Equal("completed", run.GetProperty("state").GetString());
        Assert.True(run.TryGetProperty("finishedAt", out var finished) && finished.ValueKind == JsonValueKind.String);
        return run;
    }

    [Fact]
    public async Task Contacts_are_read_with_batch_get_by_user_page_by_page()
    {
        var run = await RunAsync(new { corp = "acme", scope = "contacts", userIds = new[] { "zhangsan", "lisi", "wangwu" } });

        var pages = _api.WeCom.Journal.Count("/cgi-bin/externalcontact/batch/get_by_user");
        Assert.True(pages >= 4, $"{pages} pages");
        Assert.Equal(pages, run.GetProperty("pages").GetInt32());
        Assert.Equal(4, run.GetProperty("items").GetInt32());
        var events = _api.Events.Of<ResyncContactRead>();
        Assert.Equal(["wmAlice/zhangsan", "wmBob/lisi", "wmBob/zhangsan", "wmCarol/lisi"],
            events.Select(e => $"{e.GetProperty("externalUserId")}/{e.GetProperty("followUserId")}").Order());
        Assert.All(events, e => Assert.Equal(run.GetProperty("id").GetString(), e.GetProperty("resyncId").GetString()));
        var finished = Assert.Single(_api.Events.Of<ResyncFinished>());
        Assert.Equal(4, finished.GetProperty("items").GetInt32());
        _api.WeCom.AssertNoUnexpectedCalls();
    }

    [Fact]
    public async Task Group_chats_are_listed_then_read_one_by_one()
    {
        var run = await RunAsync(new { corp = "acme", scope = "group-chats" });

        var chats = _api.WeCom.Data.GroupChats.Count;
        Assert.Equal(chats, run.GetProperty("items").GetInt32());
        Assert.Equal(chats, _api.WeCom.Journal.Count("/cgi-bin/externalcontact/groupchat/get"));
        Assert.Equal(_api.WeCom.Journal.Count("/cgi-bin/externalcontact/groupchat/list"), run.GetProperty("pages").GetInt32());
        Assert.True(run.GetProperty("pages").GetInt32() >= chats);
        Assert.Contains(_api.Events.Of<ResyncGroupChatRead>(), e => e.GetProperty("externalMemberIds").GetArrayLength() > 0);
    }

    [Fact]
    public async Task Tags_are_read_as_one_catalog()
    {
        var run = await RunAsync(new { corp = "acme", scope = "tags" });

        Assert.Equal(1, run.GetProperty("pages").GetInt32());
        Assert.Equal(_api.WeCom.Data.TagGroups.Count, run.GetProperty("items").GetInt32());
        var level = Assert.Single(_api.Events.Of<ResyncTagGroupRead>(), e => e.GetProperty("groupId").GetString() == "etGroupLevel");
        Assert.Equal("VIP", level.GetProperty("tags").GetProperty("etTagVip").GetString());
    }

    [Fact]
    public async Task Followers_are_read_with_user_get_pages_and_user_info()
    {
        var run = await RunAsync(new { account = "brand", scope = "followers" });

        Assert.Equal(3, run.GetProperty("items").GetInt32());
        Assert.Equal(_api.OfficialAccount.Journal.Count("/cgi-bin/user/get"), run.GetProperty("pages").GetInt32());
        Assert.True(run.GetProperty("pages").GetInt32() >= 2);
        Assert.Equal(3, _api.OfficialAccount.Journal.Count("/cgi-bin/user/info"));
        var alice = Assert.Single(_api.Events.Of<ResyncFollowerRead>(), e => e.GetProperty("openId").GetString() == "oAlice");
        Assert.Equal(100, alice.GetProperty("tagIds")[0].GetInt32());
        Assert.Equal("wxfakeofficialacc", alice.GetProperty("appId").GetString());
    }

    [Fact]
    public async Task A_permanent_errcode_fails_the_run_with_the_errcode_and_path()
    {
        _api.WeCom.Faults.ErrCode(48002, "/cgi-bin/externalcontact/get_corp_tag_list");
        var client = _api.Client();

        var response = await ResyncClient.StartAsync(client, new { corp = "acme", scope = "tags" });
        var run = await ResyncClient.FinishedAsync(client, response.Headers.Location!);

        Assert.Equal("failed", run.GetProperty("state").GetString());
        Assert.Equal("/cgi-bin/externalcontact/get_corp_tag_list answered errcode 48002", run.GetProperty("error").GetString());
        Assert.Equal("failed", Assert.Single(_api.Events.Of<ResyncFinished>()).GetProperty("state").GetString());
    }
}
