using System.Text.Json.Nodes;
using WecomBridge.Fakes.Data;
using WecomBridge.Fakes.Server;

namespace WecomBridge.Fakes;

/// <summary>
/// A stateful fake of the Official Account API (api.weixin.qq.com) on its own WireMock server (its paths overlap
/// WeCom's under /cgi-bin/). Every call except stable_token needs a valid access_token: unknown → 40001, expired → 42001.
/// </summary>
public sealed partial class OfficialAccountFake : FakeApi
{
    private const string Api = "/cgi-bin/";
    private readonly FakeOptions _options;

    private OfficialAccountFake(FakeOptions options) : base(options, unknownTokenCode: 40001)
    {
        _options = options;
        Data = options.LoadFixture().OfficialAccount;
        Map("POST", Api + "stable_token", StableToken, checkToken: false);
        Map("POST", Api + "message/template/send", SendTemplate);
        Map("POST", Api + "message/custom/send", SendCustom);
        Map("GET", Api + "user/info", UserInfo);
        Map("GET", Api + "user/get", UserGet);
        Map("POST", Api + "tags/members/batchtagging", request => Tagging(request, add: true));
        Map("POST", Api + "tags/members/batchuntagging", request => Tagging(request, add: false));
    }

    /// <summary>The live state, seeded from the fixture. Change it between calls, not during one.</summary>
    public OfficialAccountData Data { get; }

    public static OfficialAccountFake Start(FakeOptions? options = null) => new(options ?? new FakeOptions());

    /// <summary>A valid token for the fixture's account, for tests that do not care about stable_token.</summary>
    public string IssueToken() => Tokens.Issue(Data.AppId).Token;

    /// <summary>Records that the follower just messaged the account, opening the 48-hour customer-service window.</summary>
    public void RecordFollowerMessage(string openId)
    {
        lock (Gate)
        {
            var follower = Data.Follower(openId) ?? throw new ArgumentException($"Unknown follower {openId}.", nameof(openId));
            follower.LastInteraction = Time.GetUtcNow();
        }
    }

    private JsonObject StableToken(FakeRequest request)
    {
        if (request.String("grant_type") != "client_credential") return Answers.Error(40002, "invalid grant_type");
        if (request.String("appid") != Data.AppId) return Answers.Error(40013, "invalid appid");
        if (request.String("secret") != Data.Secret) return Answers.Error(40125, "invalid appsecret");
        var force = request.Body["force_refresh"] is JsonValue v && v.TryGetValue<bool>(out var b) && b;
        var (token, expiresIn) = Tokens.Issue(Data.AppId, forceNew: force);
        return Answers.Ok(new JsonObject { ["access_token"] = token, ["expires_in"] = expiresIn });
    }

    private JsonObject? CheckRecipient(Follower? follower) => follower switch
    {
        null => Answers.Error(40003, "invalid openid"),
        { Subscribe: not 1 } => Answers.Error(43004),
        _ => null,
    };

    private JsonObject UserInfo(FakeRequest request)
    {
        if (Data.Follower(request.Query("openid")) is not { } follower) return Answers.Error(40003, "invalid openid");
        if (follower.Subscribe != 1)
            return Answers.Ok(new JsonObject { ["subscribe"] = 0, ["openid"] = follower.OpenId, ["unionid"] = follower.UnionId });
        var json = Answers.Node(follower)!.AsObject();
        json.Remove("last_interaction");
        return Answers.Ok(json);
    }

    private JsonObject UserGet(FakeRequest request)
    {
        var following = Data.Followers.Where(f => f.Subscribe == 1).Select(f => f.OpenId).ToList();
        var after = request.Query("next_openid");
        var start = string.IsNullOrEmpty(after) ? 0 : following.IndexOf(after) + 1;
        if (start == 0 && !string.IsNullOrEmpty(after)) return Answers.Error(40003, "invalid next_openid");
        var page = following.Skip(start).Take(_options.OpenIdPageSize).ToList();
        var answer = new JsonObject { ["total"] = following.Count, ["count"] = page.Count, ["next_openid"] = page.LastOrDefault() ?? "" };
        if (page.Count > 0) answer["data"] = new JsonObject { ["openid"] = Answers.Array(page) };
        return Answers.Ok(answer);
    }

    private JsonObject Tagging(FakeRequest request, bool add)
    {
        var openIds = request.Strings("openid_list");
        if (openIds.Count is 0 or > 50) return Answers.Error(40032, "invalid openid list size");
        var tagId = request.Int("tagid");
        if (Data.Tags.All(t => t.Id != tagId)) return Answers.Error(45159, "invalid tag id");
        var followers = openIds.Select(Data.Follower).ToList();
        if (followers.Contains(null)) return Answers.Error(40003, "invalid openid");
        if (add && followers.Any(f => f!.TagIds.Count >= 20 && !f.TagIds.Contains(tagId!.Value)))
            return Answers.Error(45059, "has too many tags");
        foreach (var follower in followers)
        {
            follower!.TagIds.Remove(tagId!.Value);
            if (add) follower.TagIds.Add(tagId.Value);
        }
        return Answers.Ok();
    }
}
