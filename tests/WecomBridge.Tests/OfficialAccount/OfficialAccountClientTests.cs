using WecomBridge.Fakes;
using WecomBridge.OfficialAccount;
using WecomBridge.Tests.WeCom;
using WecomBridge.WeCom;

namespace WecomBridge.Tests.OfficialAccount;

public sealed class OfficialAccountClientTests : IDisposable
{
    private const string Template = "/cgi-bin/message/template/send";
    private const string Custom = "/cgi-bin/message/custom/send";
    private readonly OfficialAccountFake _fake = OfficialAccountFake.Start(new FakeOptions { OpenIdPageSize = 2 });
    private readonly ApiHost _app;

    public OfficialAccountClientTests() => _app = ApiHost.Start(oaUrl: _fake.BaseUrl);

    private static TemplateMessageRequest Shipped(string? clientMsgId = null) => new("oAlice", "TPL_ORDER_SHIPPED",
        new Dictionary<string, TemplateValue> { ["thing1"] = new("订单 A-1") }, ClientMsgId: clientMsgId);

    [Fact]
    public async Task A_template_message_is_sent_with_a_stable_token()
    {
        var msgId = await _app.OfficialAccount.SendTemplateMessageAsync(ApiHost.Account, Shipped());

        Assert.Equal(msgId.ToString(), Assert.Single(_fake.Data.SentTemplateMessages).MsgId);
        var token = Assert.Single(_fake.Journal.For("/cgi-bin/stable_token"));
        Assert.Contains("\"force_refresh\":false", token.Body);
        _fake.AssertNoUnexpectedCalls();
    }

    [Fact]
    public async Task A_template_message_without_client_msg_id_is_not_retried_after_a_drop()
    {
        _fake.Faults.DropConnection(Template, times: 1);

        var e = await Assert.ThrowsAsync<ApiException>(() => _app.OfficialAccount.SendTemplateMessageAsync(ApiHost.Account, Shipped()));

        Assert.True(e.OutcomeUnknown);
        Assert.Equal(1, _fake.Journal.Count(Template));
    }

    [Fact]
    public async Task A_template_message_with_client_msg_id_is_retried_after_a_5xx()
    {
        _fake.Faults.HttpStatus(502, Template, times: 1);

        await _app.OfficialAccount.SendTemplateMessageAsync(ApiHost.Account, Shipped("order-A-1-shipped"));

        Assert.Equal(2, _fake.Journal.Count(Template));
        Assert.Single(_fake.Data.SentTemplateMessages);
    }

    [Fact]
    public async Task A_customer_service_message_needs_the_48_hour_window()
    {
        var text = new CustomMessageRequest("oBob", "text", new CustomText("Your parcel left"));
        var outside = await Assert.ThrowsAsync<ApiException>(() => _app.OfficialAccount.SendCustomMessageAsync(ApiHost.Account, text));
        Assert.Equal((45015, ApiErrorClass.Permanent), (outside.ErrCode, outside.Class));

        _fake.RecordFollowerMessage("oBob");
        await _app.OfficialAccount.SendCustomMessageAsync(ApiHost.Account, text);

        Assert.Equal("oBob", Assert.Single(_fake.Data.SentCustomMessages).To);
        Assert.Equal(2, _fake.Journal.Count(Custom));
    }

    [Fact]
    public async Task Follower_info_and_every_page_of_followers_are_read()
    {
        var alice = await _app.OfficialAccount.GetFollowerAsync(ApiHost.Account, "oAlice");
        var openIds = await _app.OfficialAccount.GetFollowersAsync(ApiHost.Account).ToListAsync();

        Assert.Equal((1, "unAlice", "spring"), (alice.Subscribe, alice.UnionId, alice.QrSceneStr));
        Assert.Equal([100], alice.TagIds!);
        Assert.Equal(["oAlice", "oBob", "oCarol"], openIds);
        Assert.Equal(3, _fake.Journal.Count("/cgi-bin/user/get")); // 2 + 1 + the empty last page
    }

    [Fact]
    public async Task Followers_are_tagged_and_untagged()
    {
        await _app.OfficialAccount.TagFollowersAsync(ApiHost.Account, new TaggingRequest(["oBob", "oCarol"], 101));
        await _app.OfficialAccount.UntagFollowersAsync(ApiHost.Account, new TaggingRequest(["oCarol"], 101));

        Assert.Equal([101], _fake.Data.Follower("oBob")!.TagIds);
        Assert.Empty(_fake.Data.Follower("oCarol")!.TagIds);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_revoked_or_expired_token_is_refreshed_once(bool revoke)
    {
        await _app.OfficialAccount.GetFollowerAsync(ApiHost.Account, "oAlice");
        if (revoke) _fake.Faults.RevokeTokens(); else _fake.Faults.ExpireTokens();

        await _app.OfficialAccount.GetFollowerAsync(ApiHost.Account, "oBob");

        Assert.Equal(2, _fake.Journal.Count("/cgi-bin/stable_token"));
        Assert.Equal([0, revoke ? 40001 : 42001, 0], _fake.Journal.For("/cgi-bin/user/info").Select(e => e.ErrCode ?? -99));
    }

    [Theory]
    [InlineData(45009)]
    [InlineData(45011)]
    public async Task A_quota_or_minute_limit_fails_at_once_as_throttled(int errcode)
    {
        _fake.Faults.ErrCode(errcode, Template);

        var e = await Assert.ThrowsAsync<ApiException>(() => _app.OfficialAccount.SendTemplateMessageAsync(ApiHost.Account, Shipped("x")));

        Assert.Equal(ApiErrorClass.Throttled, e.Class);
        Assert.Equal(1, _fake.Journal.Count(Template));
    }

    [Fact]
    public async Task Busy_is_retried()
    {
        _fake.Faults.ErrCode(-1, "/cgi-bin/user/info", times: 1);

        var bob = await _app.OfficialAccount.GetFollowerAsync(ApiHost.Account, "oBob");

        Assert.Equal("oBob", bob.OpenId);
        Assert.Equal(2, _fake.Journal.Count("/cgi-bin/user/info"));
    }

    public void Dispose()
    {
        _app.Dispose();
        _fake.Dispose();
    }
}
