using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using WecomBridge.RateLimits;
using WecomBridge.Sending.Limits;
using WecomBridge.Tests.Sending.Dispatcher;

namespace WecomBridge.Tests.Sending.Limits;

/// <summary>Limits per API and per corp or account, falling back to Dispatch:Defaults, validated at start.</summary>
public class ApiLimitsTests
{
    private static IServiceProvider Services(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        settings["WeCom:Corps:acme:CorpId"] = "wwfakecorp0000001";
        settings["WeCom:Corps:other:CorpId"] = "wwfakecorp0000002";
        settings["OfficialAccounts:Accounts:brand:AppId"] = "wxfakeofficialacc";
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddApiLimits();
        return builder.Services.BuildServiceProvider();
    }

    [Fact]
    public void An_api_takes_its_own_entry_per_corp_or_account_then_the_defaults_entry_then_ApiCallsPerMinute()
    {
        var limits = Services(new()
        {
            ["Dispatch:Defaults:ApiCallsPerMinute"] = "600",
            ["Dispatch:Defaults:SafetyMargin"] = "0.05",
            ["Dispatch:Defaults:Apis:add_msg_template:Calls"] = "100",
            ["Dispatch:Defaults:Apis:add_msg_template:Window"] = "00:00:05",
            ["Dispatch:Corps:acme:Apis:add_msg_template:Calls"] = "50",
            ["Dispatch:Corps:acme:Apis:message_send:Concurrency"] = "4",
            ["Dispatch:Accounts:brand:Apis:template_send:Calls"] = "1000",
        }).GetRequiredService<ApiLimits>();

        var acme = limits.ForCorp("acme", "externalcontact/add_msg_template");
        Assert.Equal(("wecom:acme:externalcontact/add_msg_template", new RateLimit(50, TimeSpan.FromSeconds(5))), (acme.Key, acme.Limit));
        Assert.Equal(TimeSpan.FromMilliseconds(105), acme.Spacing); // 5 s / 50 × 1.05
        Assert.Equal(new RateLimit(100, TimeSpan.FromSeconds(5)), limits.ForCorp("other", "externalcontact/add_msg_template").Limit);
        Assert.Equal(new RateLimit(600, TimeSpan.FromMinutes(1)), limits.ForCorp("acme", "externalcontact/send_welcome_msg").Limit);
        Assert.Equal(new RateLimit(1000, TimeSpan.FromMinutes(1)), limits.ForAccount("brand", "message/template/send").Limit);
        Assert.Equal("oa:brand:message/custom/send", limits.ForAccount("brand", "message/custom/send").Key);
        Assert.Equal(4, limits.Call(limits.ForCorp("acme", "message/send"), "message/send", "acme", null).Concurrency);
        Assert.Null(limits.Call(limits.ForCorp("other", "message/send"), "message/send", "other", null).Concurrency);
    }

    [Theory]
    [InlineData("Dispatch:Defaults:Apis:add_msg_templat:Calls", "5", "Dispatch:Defaults:Apis:add_msg_templat is not an API the bridge paces")]
    [InlineData("Dispatch:Corps:acme:Apis:message_send:Calls", "0", "Dispatch:Corps:acme:Apis:message_send:Calls must be at least 1")]
    [InlineData("Dispatch:Accounts:brand:Apis:custom_send:Window", "00:00:00", "Dispatch:Accounts:brand:Apis:custom_send:Window must be positive")]
    [InlineData("Dispatch:Defaults:Apis:add_moment_task:Concurrency", "0", "Dispatch:Defaults:Apis:add_moment_task:Concurrency must be at least 1")]
    [InlineData("Dispatch:Defaults:SafetyMargin", "0.9", "Dispatch:Defaults:SafetyMargin must be between 0 and 0.5")]
    [InlineData("Dispatch:Corps:acme:ApiCallsPerMinute", "0", "Dispatch:Corps:acme:ApiCallsPerMinute must be at least 1")]
    public void A_bad_setting_stops_the_start_with_a_one_line_error_naming_it(string key, string value, string error)
    {
        var services = Services(new() { [key] = value });

        var names = new[] { "", ApiLimits.CorpName("acme"), ApiLimits.AccountName("brand") };
        var e = Assert.Throws<OptionsValidationException>(() =>
        {
            foreach (var name in names) services.GetRequiredService<IOptionsMonitor<ApiLimitOptions>>().Get(name);
        });
        Assert.Contains(e.Failures, f => f.StartsWith(error, StringComparison.Ordinal) && !f.Contains('\n'));
    }

    [Fact]
    public void A_send_takes_its_api_bucket_paced_and_its_sender_and_members_counted()
    {
        var services = Services(new());
        var buckets = new SendBuckets(new FixedPolicies(), services.GetRequiredService<ApiLimits>());

        var task = buckets.For(Sends.CustomerTask("zhangsan", "wmAlice"));
        Assert.Equal(["wecom:acme:externalcontact/add_msg_template", "wecom:acme:sender:zhangsan"], task.Select(b => b.Key));
        Assert.NotNull(task[0].Spacing);
        Assert.Null(task[1].Spacing);
        var message = buckets.For(Sends.EmployeeMessage("lisi", "wangwu", "lisi"));
        Assert.Equal(["wecom:acme:message/send", "wecom:acme:member:lisi", "wecom:acme:member:wangwu"], message.Select(b => b.Key));
        Assert.Equal("message/send", buckets.Call(Sends.EmployeeMessage("lisi")).Api);
    }

    [Fact]
    public void The_example_settings_validate_for_the_defaults_a_corp_and_an_account()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "WecomBridge.sln"))) root = Path.GetDirectoryName(root)!;
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddJsonFile(Path.Combine(root, "appsettings.example.json"));
        builder.AddApiLimits();
        var services = builder.Services.BuildServiceProvider();

        var limits = services.GetRequiredService<ApiLimits>();
        Assert.Equal(2500, limits.ForCorp("acme", "externalcontact/add_msg_template").Limit.Permits);
        Assert.Equal(3000, limits.ForAccount("brand", "message/template/send").Limit.Permits);
        Assert.Equal(50, limits.Call(limits.ForCorp("acme", "message/send"), "message/send", "acme", null).Concurrency);
    }

    private sealed class FixedPolicies : IOptionsMonitor<SendPolicyOptions>
    {
        public SendPolicyOptions CurrentValue { get; } = new();
        public SendPolicyOptions Get(string? name) => CurrentValue;
        public IDisposable? OnChange(Action<SendPolicyOptions, string?> listener) => null;
    }
}
