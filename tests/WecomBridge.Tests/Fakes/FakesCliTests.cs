using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using WecomBridge.Callbacks.Crypto;
using WecomBridge.Fakes;
using WecomBridge.Fakes.Cli;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace WecomBridge.Tests.Fakes;

public sealed class FakesCliTests
{
    private const string Token = "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo";
    private const string Key = "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt";
    private const string Corp = "ww1436e0e65a779aee";

    private static async Task<(int Code, string Output)> Run(params string[] args)
    {
        var output = new StringWriter();
        var code = await FakesCli.RunAsync(args, output, CancellationToken.None);
        return (code, output.ToString());
    }

    [Fact]
    public async Task Help_lists_commands_and_every_event()
    {
        var (code, output) = await Run("--help");
        Assert.Equal(0, code);
        Assert.Contains("serve [--wecom-port 9100]", output);
        Assert.Contains("chat_update", output);
        Assert.Contains("oa_masssendjobfinish", output);
    }

    [Theory]
    [InlineData(new[] { "bogus" }, "Unknown command")]
    [InlineData(new[] { "simulate", "add_external_contact", "--url", "http://localhost:1/cb" }, "--token")]
    [InlineData(new[] { "simulate", "no_such_event", "--url", "http://localhost:1/cb", "--token", "t", "--aes-key", Key, "--corp-id", "c" }, "Unknown event")]
    [InlineData(new[] { "serve", "--wecom-port" }, "needs a value")]
    public async Task Bad_arguments_explain_and_return_2(string[] args, string message)
    {
        var (code, output) = await Run(args);
        Assert.Equal(2, code);
        Assert.Contains(message, output);
    }

    [Fact]
    public async Task Serve_starts_both_fakes_and_stops_on_cancel()
    {
        var text = new StringWriter();
        var output = TextWriter.Synchronized(text);
        string Printed() { lock (output) return text.ToString(); } // SyncTextWriter locks on itself
        using var stop = new CancellationTokenSource();
        var run = FakesCli.RunAsync(["serve", "--wecom-port", "0", "--oa-port", "0"], output, stop.Token);
        await Until.True(() => Printed().Contains("Press Ctrl-C"), 10_000);

        var wecomUrl = Printed().Split('\n').First(l => l.StartsWith("WeCom fake:")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[2];
        using var http = new HttpClient();
        var answer = await http.GetFromJsonAsync<JsonNode>($"{wecomUrl}/cgi-bin/gettoken?corpid=wwfakecorp0000001&corpsecret=contact-secret");
        Assert.Equal(0, answer!.ErrCode());
        stop.Cancel();
        Assert.Equal(0, await run);
    }

    [Fact]
    public async Task Simulate_posts_a_signed_event_with_a_welcome_code_registered_in_the_fake()
    {
        using var gateway = WireMockServer.Start();
        gateway.Given(Request.Create().WithPath("/callbacks/wecom/acme/crm").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("ok"));
        using var fake = WeComFake.Start();

        var (code, output) = await Run("simulate", "add_external_contact", "--url", gateway.Url + "/callbacks/wecom/acme/crm",
            "--token", Token, "--aes-key", Key, "--corp-id", Corp, "--user", "lisi", "--external", "wmBob", "--wecom-fake", fake.BaseUrl);

        Assert.Equal(0, code);
        Assert.Equal("HTTP 200\nok", output.ReplaceLineEndings("\n").Trim());
        var welcome = Assert.Single(fake.Data.WelcomeCodes);
        await Until.True(() => gateway.LogEntries.Any());
        var encrypt = XElement.Parse(gateway.LogEntries.Single().RequestMessage!.Body!).Element("Encrypt")!.Value;
        var plain = XElement.Parse(new CallbackCrypto(Token, Key, Corp).Decrypt(encrypt));
        Assert.Equal("wmBob", plain.Element("ExternalUserID")!.Value);
        Assert.Equal(welcome.Code, plain.Element("WelcomeCode")!.Value);
    }

    [Fact]
    public async Task Simulate_prints_a_failing_answer_and_returns_1()
    {
        using var fake = WeComFake.Start();
        var (code, output) = await Run("simulate", "oa_subscribe", "--url", fake.BaseUrl + "/callbacks/oa/brand",
            "--token", "tok", "--app-id", "wxApp", "--scene", "42");
        Assert.Equal(1, code);
        Assert.StartsWith("HTTP 404", output);
    }
}
