namespace WecomBridge.Tests.Fakes;

public sealed class WeComTokenTests : IDisposable
{
    private readonly WeComFakeFixture _f = new(new() { TokenLifetime = TimeSpan.FromMinutes(10) });

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task Gettoken_returns_a_token_with_the_configured_lifetime_and_the_same_token_while_valid()
    {
        var first = await _f.GetAsync($"/cgi-bin/gettoken?corpid={_f.Fake.Data.CorpId}&corpsecret=contact-secret", null);
        Assert.Equal(0, first.ErrCode());
        Assert.Equal(600, first["expires_in"]!.GetValue<int>());
        Assert.Equal(first.Str("access_token"), await _f.TokenAsync());
    }

    [Fact]
    public async Task Wrong_secret_gives_40001_and_wrong_corp_40013()
    {
        Assert.Equal(40001, (await _f.GetAsync($"/cgi-bin/gettoken?corpid={_f.Fake.Data.CorpId}&corpsecret=nope", null)).ErrCode());
        Assert.Equal(40013, (await _f.GetAsync("/cgi-bin/gettoken?corpid=wwother&corpsecret=contact-secret", null)).ErrCode());
    }

    [Fact]
    public async Task Token_expires_after_its_lifetime_then_a_new_one_is_issued()
    {
        var token = await _f.TokenAsync();
        Assert.Equal(0, (await _f.GetAsync("/cgi-bin/externalcontact/list?userid=zhangsan", token)).ErrCode());
        _f.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(42001, (await _f.GetAsync("/cgi-bin/externalcontact/list?userid=zhangsan", token)).ErrCode());
        var fresh = await _f.TokenAsync();
        Assert.NotEqual(token, fresh);
        Assert.Equal(0, (await _f.GetAsync("/cgi-bin/externalcontact/list?userid=zhangsan", fresh)).ErrCode());
    }

    [Fact]
    public async Task Unknown_token_gives_40014_and_missing_token_41001()
    {
        Assert.Equal(40014, (await _f.GetAsync("/cgi-bin/externalcontact/list?userid=zhangsan", "bogus")).ErrCode());
        Assert.Equal(41001, (await _f.GetAsync("/cgi-bin/externalcontact/list?userid=zhangsan", null)).ErrCode());
    }
}
