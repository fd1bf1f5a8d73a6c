using System.Diagnostics;
using Microsoft.Extensions.Options;
using WecomBridge.Api;
using WecomBridge.OfficialAccount;
using WecomBridge.Tests.Infrastructure;
using WecomBridge.WeCom;

namespace WecomBridge.Tests.Hosting;

public class ConfigurationTests
{
    private const string GoodKey = "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt";

    [Theory]
    [InlineData("WeCom__Corps__acme__Apps__crm__EncodingAesKey", "tooshort", "WeCom:Corps:acme:Apps:crm:EncodingAesKey must be exactly 43 characters")]
    [InlineData("WeCom__Corps__acme__CorpId", "", "WeCom:Corps:acme:CorpId is required")]
    [InlineData("Bridge__Roles__0", "Gatewy", "Bridge:Roles:0 is 'Gatewy': a role is Gateway or Dispatcher")]
    [InlineData("Gateway__Spool__Path", "/proc/wecombridge-spool", "Gateway:Spool:Path '/proc/wecombridge-spool' cannot hold the spool")]
    [InlineData("ApiClients__MaxAttempts", "0", "ApiClients:MaxAttempts must be between 1 and 10")]
    [InlineData("Dispatch__Corps__acme__TimeZone", "Mars/Olympus", "Dispatch:Corps:acme:TimeZone 'Mars/Olympus' is not a known time zone")]
    [InlineData("Polling__Moments__Interval", "00:00:00", "Polling:Moments:Interval must be at least")]
    [InlineData("Gateway__PublishTimeout", "00:00:09", "Gateway:PublishTimeout must be positive and under 00:00:04")]
    [InlineData("Pool__MaxPageSize", "0", "Pool:MaxPageSize must be 1–10000")]
    [InlineData("Telemetry__Prometheus__Path", "/api/metrics", "Telemetry:Prometheus:Path must not be under /api/")]
    public async Task A_wrong_setting_stops_the_app_with_one_line_naming_its_path(string variable, string value, string expected)
    {
        var (exitCode, line, stdout) = await RunWithAsync(variable, value);

        Assert.Equal(1, exitCode);
        Assert.Contains(expected, line);
        Assert.DoesNotContain("tooshort", line);
        Assert.DoesNotContain("   at ", stdout);
    }

    // Values the configuration binder cannot convert to the setting's type, read while the app is built (the bus's
    // and the poller's switches), when it validates, or only by a background service (Enrichment).
    [Theory]
    [InlineData("Gateway__PublishTimeout", "00:00:60", "Gateway:PublishTimeout must be a duration as [d.]hh:mm:ss")]
    [InlineData("Gateway__MaxBodyBytes", "abc", "Gateway:MaxBodyBytes must be a whole number")]
    [InlineData("Gateway__Spool__MaxEvents", "1e5", "Gateway:Spool:MaxEvents must be a whole number")]
    [InlineData("Dispatch__RetryBudget", "x", "Dispatch:RetryBudget must be a whole number")]
    [InlineData("Dispatch__Corps__acme__CustomerCap__Period", "Yearly", "Dispatch:Corps:acme:CustomerCap:Period must be one of Month, Week, Day")]
    [InlineData("Dispatch__Corps__acme__QuietHours__Enabled", "sometimes", "Dispatch:Corps:acme:QuietHours:Enabled must be true or false")]
    [InlineData("Dispatch__Defaults__QuietHours__Start", "25:00", "Dispatch:Defaults:QuietHours:Start must be a time of day as hh:mm")]
    [InlineData("ApiClients__AttemptTimeout", "soon", "ApiClients:AttemptTimeout must be a duration")]
    [InlineData("Messaging__WaitUntilStarted", "maybe", "Messaging:WaitUntilStarted must be true or false")]
    [InlineData("Polling__Moments__Enabled", "yes", "Polling:Moments:Enabled must be true or false")]
    [InlineData("Enrichment__RetryLimit", "three", "Enrichment:RetryLimit must be a whole number")]
    [InlineData("Enrichment__Enabled", "on", "Enrichment:Enabled must be true or false")]
    [InlineData("Pool__Enabled", "on", "Pool:Enabled must be true or false")]
    [InlineData("Telemetry__Prometheus__Enabled", "on", "Telemetry:Prometheus:Enabled must be true or false")]
    public async Task A_value_that_does_not_convert_stops_the_app_with_one_line_naming_its_path_not_its_value(
        string variable, string value, string expected)
    {
        var (exitCode, line, stdout) = await RunWithAsync(variable, value);

        Assert.Equal(1, exitCode);
        Assert.StartsWith("WecomBridge: invalid configuration: " + expected, line);
        Assert.DoesNotContain($"'{value}'", line); // the binder quotes the value: it may be a secret
        Assert.DoesNotContain("   at ", stdout);
        Assert.DoesNotContain("Exception", line + stdout);
    }

    /// <summary>Runs the app with one setting changed; returns its exit code, its one line on stderr, and stdout.</summary>
    private static Task<(int ExitCode, string Line, string Stdout)> RunWithAsync(string variable, string value) =>
        RunWithAsync(new() { [variable] = value });

    /// <summary>Runs the app with settings changed (environment variables); returns its exit code, its one line on stderr, and stdout.</summary>
    internal static async Task<(int ExitCode, string Line, string Stdout)> RunWithAsync(Dictionary<string, string> variables)
    {
        var start = new ProcessStartInfo("dotnet", [typeof(Program).Assembly.Location, "--urls", "http://127.0.0.1:0"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.Environment["WeCom__Corps__acme__CorpId"] = "ww1436e0e65a779aee";
        start.Environment["WeCom__Corps__acme__Apps__crm__Token"] = "token1";
        start.Environment["WeCom__Corps__acme__Apps__crm__EncodingAesKey"] = GoodKey;
        foreach (var (variable, value) in variables) start.Environment[variable] = value;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        var lines = (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return (process.ExitCode, Assert.Single(lines), await stdout);
    }

    [Fact]
    public void Official_account_key_may_be_empty_for_plaintext_mode_but_not_malformed()
    {
        var validator = new OfficialAccountOptionsValidator();
        var options = new OfficialAccountOptions();
        options.Accounts["brand"] = new AccountOptions { AppId = "wx1", Token = "tok", EncodingAesKey = "" };
        Assert.True(validator.Validate(null, options).Succeeded);

        options.Accounts["brand"].EncodingAesKey = new string('a', 42) + "!";
        var failure = validator.Validate(null, options);
        Assert.True(failure.Failed);
        Assert.Contains("OfficialAccounts:Accounts:brand:EncodingAesKey", failure.FailureMessage);
    }

    [Fact]
    public void Api_keys_must_be_sha256_hex_and_scoped_to_configured_corps_and_accounts()
    {
        var wecom = new WeComOptions();
        wecom.Corps["acme"] = new CorpOptions { CorpId = "ww1" };
        var validator = new SendApiOptionsValidator(Options.Create(wecom), Options.Create(new OfficialAccountOptions()));
        var options = new SendApiOptions
        {
            ApiKeys = [new ApiKeyOptions { Name = "marketing", KeyHash = "abc", Corps = ["acme", "ghost"], Accounts = ["nobody"] }],
        };

        var result = validator.Validate(null, options);

        Assert.Contains("SendApi:ApiKeys:0:KeyHash must be the 64 hex digits", result.FailureMessage);
        Assert.Contains("SendApi:ApiKeys:0:Corps:1 names 'ghost'", result.FailureMessage);
        Assert.Contains("SendApi:ApiKeys:0:Accounts:0 names 'nobody'", result.FailureMessage);
        Assert.DoesNotContain("Corps:0", result.FailureMessage);
    }

    [Theory]
    [InlineData("tok en")]
    [InlineData("")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456")] // 33 characters
    public void Callback_tokens_are_1_to_32_letters_or_digits(string token)
    {
        var options = new WeComOptions();
        options.Corps["acme"] = new CorpOptions { CorpId = "ww1" };
        options.Corps["acme"].Apps["crm"] = new CorpAppOptions { Token = token, EncodingAesKey = GoodKey };
        Assert.Contains("WeCom:Corps:acme:Apps:crm:Token", new WeComOptionsValidator().Validate(null, options).FailureMessage);
    }

    [Fact]
    public async Task Secrets_never_appear_in_logs()
    {
        var settings = new Dictionary<string, string?>
        {
            ["WeCom:Corps:acme:CorpId"] = "ww1436e0e65a779aee",
            ["WeCom:Corps:acme:ContactSecret"] = "ContactSecretValue123",
            ["WeCom:Corps:acme:Apps:crm:AgentId"] = "1000002",
            ["WeCom:Corps:acme:Apps:crm:Secret"] = "AppSecretValue456",
            ["WeCom:Corps:acme:Apps:crm:Token"] = "CallbackTokenValue789",
            ["WeCom:Corps:acme:Apps:crm:EncodingAesKey"] = GoodKey,
            ["ConnectionStrings:RabbitMq"] = TestServers.RabbitMq.Replace("guest:guest", "guest:guest"),
        };
        await using var app = new BridgeApp(settings);
        var http = app.CreateClient();
        await Eventually.True(async () => (await http.GetAsync("/health/ready")).IsSuccessStatusCode, what: "ready");

        foreach (var secret in new[] { "ContactSecretValue123", "AppSecretValue456", "CallbackTokenValue789", GoodKey, "guest:guest" })
            Assert.DoesNotContain(secret, app.Logs.All);
        Assert.Contains("WecomBridge started", app.Logs.All);
    }
}
