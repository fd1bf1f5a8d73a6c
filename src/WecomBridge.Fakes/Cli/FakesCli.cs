using WecomBridge.Fakes.Callbacks;

namespace WecomBridge.Fakes.Cli;

/// <summary>The standalone mode: "serve" runs both fakes, "simulate" posts one callback, "--help" lists everything.</summary>
public static class FakesCli
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var parsed = CliArgs.Parse(args);
        if (parsed.Error is not null)
        {
            await output.WriteLineAsync(parsed.Error + " Try --help.");
            return 2;
        }
        if (parsed.Help || parsed.Command is null)
        {
            await output.WriteAsync(HelpText);
            return parsed.Help ? 0 : 2;
        }
        try
        {
            return parsed.Command switch
            {
                "serve" => await ServeAsync(parsed, output, cancellationToken),
                "simulate" => await SimulateCommand.RunAsync(parsed, output, cancellationToken),
                _ => await Fail(output, $"Unknown command '{parsed.Command}'. Try --help."),
            };
        }
        catch (Exception e) when (e is FormatException or ArgumentException or HttpRequestException or IOException)
        {
            return await Fail(output, e.Message);
        }
    }

    private static async Task<int> ServeAsync(CliArgs args, TextWriter output, CancellationToken cancellationToken)
    {
        var fixture = Data.Fixture.Load(args.Get("fixture"));
        // A long-running server keeps only its last calls (the soak's enrichment reads grew it by ~0.7 MiB/s).
        var keep = args.Get("keep-calls") is { } text
            ? (int.TryParse(text, out var n) && n > 0 ? n : throw new FormatException("--keep-calls must be a positive number."))
            : 1_000;
        using var wecom = WeComFake.Start(new FakeOptions { Port = args.Port("wecom-port", 9100), Fixture = fixture, KeepCalls = keep });
        using var oa = OfficialAccountFake.Start(new FakeOptions { Port = args.Port("oa-port", 9200), Fixture = fixture, KeepCalls = keep });
        await output.WriteLineAsync($"WeCom fake:            {wecom.BaseUrl}   (set WeCom:BaseUrl)");
        await output.WriteLineAsync($"Official Account fake: {oa.BaseUrl}   (set OfficialAccounts:BaseUrl)");
        await output.WriteLineAsync($"WeCom corp id {wecom.Data.CorpId}, secrets: {string.Join(", ", wecom.Data.Secrets)}");
        await output.WriteLineAsync($"OA appid {oa.Data.AppId}, secret: {oa.Data.Secret}");
        await output.WriteLineAsync("Press Ctrl-C to stop.");
        await output.FlushAsync(cancellationToken);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
        await output.WriteLineAsync("Stopped.");
        return 0;
    }

    internal static async Task<int> Fail(TextWriter output, string message)
    {
        await output.WriteLineAsync(message);
        return 2;
    }

    private static string HelpText => $"""
        WecomBridge.Fakes: fake WeCom and Official Account APIs and a callback simulator.

        serve [--wecom-port 9100] [--oa-port 9200] [--fixture file.json] [--keep-calls 1000]
            Starts both fakes (port 0 = any free port), prints their base URLs, runs until Ctrl-C.
            Each keeps its last 1,000 calls (journal and request log), so that a long run does not grow.

        simulate <event> --url <callback url> --token T --aes-key K --corp-id C [--agent-id 1000002] [event options]
            Signs, encrypts and posts one WeCom callback, then prints the HTTP status and body.
            --wecom-fake <url>  with add_external_contact / add_half_external_contact: register the
                                welcome code with a running fake so send_welcome_msg accepts it for 20 s.
        simulate verify --url <callback url> --token T --aes-key K --corp-id C [--echo 123]
            WeCom GET URL check; the gateway must answer the plain echo.

        simulate <oa_event> --url <callback url> --token T --app-id A [--aes-key K] [--mode plaintext|compatible|safe]
                 [--gh-id gh_fakeaccount] [--openid oAlice] [event options]
            Posts one Official Account push (safe mode by default when --aes-key is given).
        simulate oa_verify --url <callback url> --token T [--echostr abc]

        WeCom events: {string.Join(", ", SimulatedEvents.WeComNames)}
        OA events:    {string.Join(", ", SimulatedEvents.OaNames)}

        Event options (all optional, sample values otherwise):
          --user zhangsan --external wmAlice --state S --welcome-code W --source DELETE_BY_TRANSFER
          --fail-reason customer_refused --chat wrChatVip --detail add_member|del_member|change_owner|change_name|change_notice
          --join-scene 0|3 --quit-scene 0|1 --members wmAlice,lisi --last-ver v1 --cur-ver v2
          --id etTagVip --tag-type tag|tag_group --strategy 1 --name N --department 1,2
          --content hello --msgid 123 --openid oAlice --scene 123 --ticket T --key MENU_KEY --view-url https://…
          --status success

        """;
}
