using System.Text.Json.Nodes;
using WecomBridge.Fakes.Data;
using WecomBridge.Fakes.Server;

namespace WecomBridge.Fakes;

/// <summary>
/// A stateful fake of the WeCom server API (qyapi.weixin.qq.com) on WireMock.Net. Every call except gettoken
/// needs a valid access_token; unknown paths answer 404 and show up in <see cref="FakeApi.UnexpectedCalls"/>.
/// </summary>
public sealed partial class WeComFake : FakeApi
{
    private const string Api = "/cgi-bin/";

    /// <summary>A control endpoint of the fake (not a WeCom API): POST {userid, external_userid} → {welcome_code}.</summary>
    public const string WelcomeCodesPath = "/__fake/welcome_codes";
    private readonly FakeOptions _options;

    private WeComFake(FakeOptions options) : base(options, unknownTokenCode: 40014)
    {
        _options = options;
        Data = options.LoadFixture().WeCom;
        Map("GET", Api + "gettoken", GetToken, checkToken: false);
        MapContacts();
        MapGroupChats();
        MapSending();
        MapMoments();
        Map("POST", WelcomeCodesPath, RegisterWelcomeCode, checkToken: false);
    }

    /// <summary>The live state, seeded from the fixture. Change it between calls, not during one.</summary>
    public WeComData Data { get; }

    public static WeComFake Start(FakeOptions? options = null) => new(options ?? new FakeOptions());

    /// <summary>
    /// Registers a welcome code issued now, as WeCom does with an add_external_contact event: send_welcome_msg
    /// accepts it once, within <see cref="FakeOptions.WelcomeCodeLifetime"/> (20 s).
    /// </summary>
    public string IssueWelcomeCode(string userId, string externalUserId, string? code = null)
    {
        var welcome = new WelcomeCode
        {
            Code = code ?? Paging.NewId("WELCOME"),
            UserId = userId,
            ExternalUserId = externalUserId,
            IssuedAt = Time.GetUtcNow(),
        };
        lock (Gate) Data.WelcomeCodes.Add(welcome);
        return welcome.Code;
    }

    /// <summary>A valid token for the first secret of the fixture, for tests that do not care about gettoken.</summary>
    public string IssueToken() => Tokens.Issue(Data.CorpId + "/" + Data.Secrets.FirstOrDefault()).Token;

    private JsonObject RegisterWelcomeCode(FakeRequest request)
    {
        if (request.String("userid") is not { } userId || request.String("external_userid") is not { } externalUserId)
            return Answers.Error(40058, "userid and external_userid are required");
        return Answers.Ok(new JsonObject { ["welcome_code"] = IssueWelcomeCode(userId, externalUserId) });
    }

    private JsonObject GetToken(FakeRequest request)
    {
        if (request.Query("corpid") != Data.CorpId) return Answers.Error(40013);
        var secret = request.Query("corpsecret");
        if (string.IsNullOrEmpty(secret) || !Data.Secrets.Contains(secret)) return Answers.Error(40001, "invalid credential, corpsecret");
        var (token, expiresIn) = Tokens.Issue(Data.CorpId + "/" + secret);
        return Answers.Ok(new JsonObject { ["access_token"] = token, ["expires_in"] = expiresIn });
    }
}
