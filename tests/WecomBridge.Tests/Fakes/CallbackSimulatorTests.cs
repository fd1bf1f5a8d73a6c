using System.Text;
using System.Web;
using System.Xml.Linq;
using WecomBridge.Callbacks.Crypto;
using WecomBridge.Fakes;
using WecomBridge.Fakes.Callbacks;

namespace WecomBridge.Tests.Fakes;

// The app's own CallbackCrypto checks what the simulator builds (docs/wecom-protocol.md §1–2 vectors).
public sealed class CallbackSimulatorTests
{
    private const string TokenA = "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo";
    private const string KeyA = "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt";
    private const string CorpA = "ww1436e0e65a779aee";
    private static readonly WeComCallbackApp AppA = new(TokenA, KeyA, CorpA);
    private static readonly CallbackCrypto CryptoA = new(TokenA, KeyA, CorpA);
    private readonly CallbackSimulator _simulator = new();

    public static TheoryData<string> WeComEventNames() => new(SimulatedEvents.WeComNames);
    public static TheoryData<string> OaEventNames() => new(SimulatedEvents.OaNames);

    [Theory]
    [MemberData(nameof(WeComEventNames))]
    public void WeCom_post_verifies_and_decrypts_with_vector_A(string name)
    {
        var xml = SimulatedEvents.BuildWeCom(name, CorpA, new Dictionary<string, string>());
        var request = _simulator.BuildWeComPost(AppA, xml);
        var query = HttpUtility.ParseQueryString(request.Query);
        var envelope = XElement.Parse(request.Body!);
        var encrypt = envelope.Element("Encrypt")!.Value;

        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(CorpA, envelope.Element("ToUserName")!.Value);
        Assert.Equal("1000002", envelope.Element("AgentID")!.Value);
        Assert.True(CryptoA.Verify(query["msg_signature"], query["timestamp"]!, query["nonce"]!, encrypt));
        var plain = XElement.Parse(CryptoA.Decrypt(encrypt));
        Assert.Equal(xml, plain.ToString(SaveOptions.DisableFormatting));
        Assert.Equal(CorpA, plain.Element("ToUserName")!.Value);
    }

    [Fact]
    public void WeCom_events_carry_the_documented_fields()
    {
        var add = XElement.Parse(WeComEvents.ExternalContact(CorpA, "add_external_contact", "zhangsan", "wmX", "st", "WC", createTime: 1403610513));
        Assert.Equal(["ToUserName", "FromUserName", "CreateTime", "MsgType", "Event", "ChangeType", "UserID", "ExternalUserID", "State", "WelcomeCode"],
            add.Elements().Select(e => e.Name.LocalName));
        Assert.Equal("sys", add.Element("FromUserName")!.Value);
        var update = XElement.Parse(WeComEvents.ExternalChat(CorpA, "update", "wrX", "add_member", joinScene: 3, members: ["wmA", "lisi"], lastMemVer: "a", curMemVer: "b"));
        Assert.Equal("2", update.Element("MemChangeCnt")!.Value);
        Assert.Equal(["wmA", "lisi"], update.Element("MemChangeList")!.Elements("Item").Select(i => i.Value));
        Assert.Equal("b", update.Element("CurMemVer")!.Value);
        var shuffle = XElement.Parse(WeComEvents.ExternalTag(CorpA, "shuffle", "etG", strategyId: "1"));
        Assert.Null(shuffle.Element("TagType"));
        var subscribe = XElement.Parse(OfficialAccountEvents.Subscribe("gh_x", "oX", scene: "123123"));
        Assert.Equal("qrscene_123123", subscribe.Element("EventKey")!.Value);
    }

    [Fact]
    public void WeCom_url_check_echostr_verifies_and_decrypts()
    {
        var request = _simulator.BuildWeComUrlCheck(AppA, "1288432023552776189", new CallbackStamp("1476416373", "47744683"));
        var query = HttpUtility.ParseQueryString(request.Query);
        Assert.Equal(HttpMethod.Get, request.Method);
        Assert.True(CryptoA.Verify(query["msg_signature"], "1476416373", "47744683", query["echostr"]!));
        Assert.Equal("1288432023552776189", CryptoA.Decrypt(query["echostr"]!));
    }

    [Fact]
    public void Oa_safe_mode_matches_the_official_vector_with_the_same_random_bytes()
    {
        var app = new OaCallbackApp("pamtest", "wxb11529c136998cb6", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", OaEncryptionMode.Safe);
        var stamp = new CallbackStamp("1409304348", "xxxxxx", Encoding.ASCII.GetBytes("aaaabbbbccccdddd"));
        var request = _simulator.BuildOaPost(app, "我是中文abcd123", "oX", stamp);
        var query = HttpUtility.ParseQueryString(request.Query);
        Assert.Equal("jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==",
            XElement.Parse(request.Body!).Element("Encrypt")!.Value);
        Assert.Equal("82c962d39941aa48552f90ef55aa323dc620cc10", query["msg_signature"]);
        Assert.Equal("aes", query["encrypt_type"]);
        Assert.Equal("oX", query["openid"]);
    }

    [Fact]
    public void Oa_url_check_matches_the_official_signature()
    {
        var request = _simulator.BuildOaUrlCheck(new OaCallbackApp("AAAAA", "wxX"), "echo123", new CallbackStamp("1714037059", "486452656"));
        var query = HttpUtility.ParseQueryString(request.Query);
        Assert.Equal("899cf89e464efb63f54ddac96b0a0a235f53aa78", query["signature"]);
        Assert.Equal("echo123", query["echostr"]);
    }

    [Theory]
    [MemberData(nameof(OaEventNames))]
    public void Oa_events_in_plaintext_and_compatible_mode(string name)
    {
        var xml = SimulatedEvents.BuildOa(name, "gh_x", new Dictionary<string, string>());
        var plain = _simulator.BuildOaPost(new OaCallbackApp("tok", "wxApp"), xml, "oAlice");
        var query = HttpUtility.ParseQueryString(plain.Query);
        Assert.Equal(xml, plain.Body);
        Assert.True(CallbackCrypto.VerifyParts(query["signature"], "tok", query["timestamp"]!, query["nonce"]!));

        var app = new OaCallbackApp("tok", "wxApp", KeyA, OaEncryptionMode.Compatible);
        var compatible = _simulator.BuildOaPost(app, xml, "oAlice");
        var body = XElement.Parse(compatible.Body!);
        var encrypt = body.Element("Encrypt")!.Value;
        Assert.Equal(XElement.Parse(xml).Element("MsgType")!.Value, body.Element("MsgType")!.Value);
        Assert.Equal(xml, new CallbackCrypto("tok", KeyA, "wxApp").Decrypt(encrypt));
    }

    [Fact]
    public async Task SendAsync_accepts_a_relative_url_with_a_base_address_client()
    {
        using var fake = WeComFake.Start();
        using var http = new HttpClient { BaseAddress = new Uri(fake.BaseUrl) };
        var request = new CallbackSimulator(http).BuildWeComUrlCheck(AppA, "42");
        Assert.False(request.UriFor("/callbacks/wecom/acme/crm").IsAbsoluteUri);
        var answer = await new CallbackSimulator(http).SendAsync("/callbacks/wecom/acme/crm", request);
        Assert.Equal(404, answer.StatusCode);
    }

    [Fact]
    public async Task SendAsync_posts_the_request_and_returns_status_and_body()
    {
        using var fake = WeComFake.Start();
        var request = _simulator.BuildWeComPost(AppA, WeComEvents.Text(CorpA, "zhangsan", "hi", "1"));
        var answer = await _simulator.SendAsync(fake.BaseUrl + "/callbacks/wecom/acme/crm", request);
        Assert.Equal(404, answer.StatusCode);
        await Until.True(() => fake.UnexpectedCalls.Count == 1);
        Assert.StartsWith("POST /callbacks/wecom/acme/crm?msg_signature=", fake.UnexpectedCalls[0]);
    }
}
