using System.Text;
using WecomBridge.Callbacks.Parsing;
using WecomBridge.Fakes.Callbacks;
using WecomBridge.Messaging;

namespace WecomBridge.Bench;

/// <summary>
/// Distinct, valid callbacks of several kinds in a fixed round-robin: add / edit / delete an external
/// contact, a group chat's member change (WeCom, encrypted) and an Official Account follower subscribe
/// (safe mode, encrypted). Each comes with the event id and the exchange the gateway must publish it to,
/// computed by the app's own parsers from the plaintext, so that a consumer can check every event.
/// Customers, chats and followers come from a pool the fake API knows (SoakFixture), so the gateway's
/// enrichment succeeds; each callback is still distinct: callbacks that name the same customer (once per
/// 5 × Pool callbacks, from a random start per run) carry a different CreateTime, and the dedupe key and
/// event id include it. Chat updates carry the fake's member version (v1), so the enricher sees no version gap.
/// </summary>
internal sealed class MixedCallbacks
{
    public const int Pool = 5000;
    public static string Customer(long k) => $"wmSoak{k:D5}";
    public static string Chat(long k) => $"wrSoak{k:D5}";
    public static string Follower(long k) => $"oSoak{k:D5}";

    private readonly string _tag;
    private readonly long _offset;

    public MixedCallbacks(string tag)
    {
        _tag = tag;
        _offset = Random.Shared.Next(Pool);
    }

    // The bench Official Account (bench/gateway-env.sh configures the gateway with the same values).
    public const string Account = "benchoa";
    public const string AccountAppId = "wxbench000000001";
    public const string AccountToken = "benchOaToken0123456789";
    public const string AccountAesKey = "ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut";
    public const string AccountGhId = "gh_bench0000001";
    public const string AccountPath = "/callbacks/oa/" + Account;

    public static readonly string[] Kinds = ["contact-add", "contact-edit", "contact-del", "chat-update", "oa-subscribe"];

    private static readonly OaCallbackApp OaApp = new(AccountToken, AccountAppId, AccountAesKey, OaEncryptionMode.Safe, AccountGhId);
    private readonly CallbackSimulator _simulator = new();

    public sealed record Item(LoadGenerator.Request Request, string EventId, string Exchange, int Kind);

    /// <summary>The exchanges of every kind (the gateway declares them on its first publish; bind-mixed declares them first).</summary>
    public static string[] Exchanges()
    {
        var m = new MixedCallbacks("x");
        return Enumerable.Range(0, Kinds.Length).Select(k => m.Make("http://127.0.0.1", k).Exchange).ToArray();
    }

    /// <summary>Callback number <paramref name="i"/> (kind i mod 5), distinct from every other i of this tag.</summary>
    public Item Make(string baseUrl, long i)
    {
        var kind = (int)(i % Kinds.Length);
        var now = DateTimeOffset.UtcNow;
        var time = now.ToUnixTimeSeconds();
        var k = (_offset + i / Kinds.Length) % Pool;
        var id = $"{_tag}{i:D9}";
        string xml;
        CallbackRequest callback;
        ParsedCallback parsed;
        if (kind == 4)
        {
            var openId = Follower(k);
            xml = OfficialAccountEvents.Subscribe(AccountGhId, openId, scene: "soak", ticket: "TICKET", createTime: time);
            callback = _simulator.BuildOaPost(OaApp, xml, openId);
            parsed = OfficialAccountCallbackParser.Parse(Encoding.UTF8.GetBytes(xml), Account, AccountAppId, now);
            return Done(baseUrl + AccountPath);
        }
        xml = kind switch
        {
            0 => Fixtures.ContactAddedXml(Customer(k), time),
            1 => WeComEvents.ExternalContact(Fixtures.CorpId, "edit_external_contact", "zhangsan", Customer(k), createTime: time),
            2 => WeComEvents.ExternalContact(Fixtures.CorpId, "del_external_contact", "zhangsan", Customer(k), source: "DELETE_BY_CUSTOMER", createTime: time),
            _ => WeComEvents.ExternalChat(Fixtures.CorpId, "update", Chat(k), updateDetail: "add_member", joinScene: 3,
                members: [Customer(k)], lastMemVer: "v1", curMemVer: "v1", createTime: time),
        };
        callback = _simulator.BuildWeComPost(Fixtures.WeComApp, xml);
        parsed = WeComCallbackParser.Parse(Encoding.UTF8.GetBytes(xml), Fixtures.Corp, Fixtures.App, Fixtures.CorpId, now);
        return Done(baseUrl + Fixtures.CallbackPath);

        Item Done(string url) => new(
            new LoadGenerator.Request(callback.UriFor(url), Encoding.UTF8.GetBytes(callback.Body!)),
            parsed.EventId, BridgeEntityNameFormatter.ExchangeName(parsed.Event.GetType()), kind);
    }
}
