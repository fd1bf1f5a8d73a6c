using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using WecomBridge.Fakes.Callbacks;

namespace WecomBridge.Fakes.Cli;

/// <summary>"simulate &lt;event&gt;": builds one signed callback, posts it and prints the gateway's answer.</summary>
internal static class SimulateCommand
{
    public static async Task<int> RunAsync(CliArgs args, TextWriter output, CancellationToken cancellationToken)
    {
        if (args.Positional.Count != 1) return await FakesCli.Fail(output, "simulate needs one event name. Try --help.");
        var name = args.Positional[0];
        var url = Required(args, "url");
        using var http = new HttpClient();
        var simulator = new CallbackSimulator(http);
        var request = name is "oa_verify" || SimulatedEvents.IsOa(name)
            ? BuildOa(simulator, name, args)
            : await BuildWeComAsync(simulator, http, name, args, cancellationToken);
        var answer = await simulator.SendAsync(url, request, cancellationToken);
        await output.WriteLineAsync($"HTTP {answer.StatusCode}");
        await output.WriteLineAsync(answer.Body);
        return answer.StatusCode is >= 200 and < 300 ? 0 : 1;
    }

    private static async Task<CallbackRequest> BuildWeComAsync(
        CallbackSimulator simulator, HttpClient http, string name, CliArgs args, CancellationToken cancellationToken)
    {
        var app = new WeComCallbackApp(
            Required(args, "token"), Required(args, "aes-key"), Required(args, "corp-id"), args.Get("agent-id") ?? "1000002");
        if (name == "verify")
            return simulator.BuildWeComUrlCheck(app, args.Get("echo") ?? RandomNumberGenerator.GetInt32(int.MaxValue).ToString());
        if (!SimulatedEvents.WeComNames.Contains(name)) throw new ArgumentException($"Unknown event '{name}'. Try --help.");
        var options = new Dictionary<string, string>(args.Options, StringComparer.OrdinalIgnoreCase);
        if (name is "add_external_contact" or "add_half_external_contact" && args.Get("wecom-fake") is { } fake && args.Get("welcome-code") is null)
            options["welcome-code"] = await RegisterWelcomeCodeAsync(http, fake, options, cancellationToken);
        return simulator.BuildWeComPost(app, SimulatedEvents.BuildWeCom(name, app.CorpId, options));
    }

    private static CallbackRequest BuildOa(CallbackSimulator simulator, string name, CliArgs args)
    {
        var token = Required(args, "token");
        if (name == "oa_verify")
            return simulator.BuildOaUrlCheck(
                new OaCallbackApp(token, ""), args.Get("echostr") ?? RandomNumberGenerator.GetInt32(int.MaxValue).ToString());
        var key = args.Get("aes-key");
        var mode = args.Get("mode") switch
        {
            null => key is null ? OaEncryptionMode.Plaintext : OaEncryptionMode.Safe,
            var text => Enum.TryParse<OaEncryptionMode>(text, ignoreCase: true, out var parsed)
                ? parsed
                : throw new ArgumentException("--mode is plaintext, compatible or safe."),
        };
        var app = new OaCallbackApp(token, Required(args, "app-id"), key, mode, args.Get("gh-id") ?? "gh_fakeaccount");
        var openId = args.Get("openid") ?? "oAlice";
        return simulator.BuildOaPost(app, SimulatedEvents.BuildOa(name, app.OriginalId, args.Options), openId);
    }

    /// <summary>Asks a running WeCom fake to issue a welcome code "now" (POST /__fake/welcome_codes).</summary>
    private static async Task<string> RegisterWelcomeCodeAsync(
        HttpClient http, string fakeUrl, IReadOnlyDictionary<string, string> options, CancellationToken cancellationToken)
    {
        var body = new
        {
            userid = options.GetValueOrDefault("user", "zhangsan"),
            external_userid = options.GetValueOrDefault("external", "wmAlice"),
        };
        using var response = await http.PostAsJsonAsync(fakeUrl.TrimEnd('/') + WeComFake.WelcomeCodesPath, body, cancellationToken);
        var answer = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
        return answer?["welcome_code"]?.GetValue<string>() ?? throw new HttpRequestException("The fake issued no welcome code.");
    }

    private static string Required(CliArgs args, string name) =>
        args.Get(name) ?? throw new ArgumentException($"simulate needs --{name}. Try --help.");
}
