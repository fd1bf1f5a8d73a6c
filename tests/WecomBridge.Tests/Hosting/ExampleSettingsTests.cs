using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using WecomBridge.Api;
using WecomBridge.Callbacks;
using WecomBridge.DeadLetters;
using WecomBridge.Hosting;
using WecomBridge.Messaging;
using WecomBridge.Observability;
using WecomBridge.OfficialAccount;
using WecomBridge.Pool;
using WecomBridge.Pool.Activity;
using WecomBridge.Sending.Errors;
using WecomBridge.Sending.Limits;
using WecomBridge.WeCom;

namespace WecomBridge.Tests.Hosting;

/// <summary>appsettings.example.json stays true: it binds and passes the same validation as the app.</summary>
public class ExampleSettingsTests
{
    [Fact]
    public void The_example_settings_bind_and_validate()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "WecomBridge.sln"))) root = Path.GetDirectoryName(root)!;
        var config = new ConfigurationBuilder().AddJsonFile(Path.Combine(root, "appsettings.example.json")).Build();

        var bridge = config.GetSection(BridgeOptions.Section).Get<BridgeOptions>()!;
        var wecom = config.GetSection(WeComOptions.Section).Get<WeComOptions>()!;
        var accounts = config.GetSection(OfficialAccountOptions.Section).Get<OfficialAccountOptions>()!;
        var sendApi = config.GetSection(SendApiOptions.Section).Get<SendApiOptions>()!;
        var gateway = config.GetSection(GatewayOptions.Section).Get<GatewayOptions>() ?? new GatewayOptions();

        Assert.True(new BridgeOptionsValidator().Validate(null, bridge).Succeeded);
        Assert.True(new WeComOptionsValidator().Validate(null, wecom).Succeeded);
        Assert.True(new OfficialAccountOptionsValidator().Validate(null, accounts).Succeeded);
        var keys = new SendApiOptionsValidator(Options.Create(wecom), Options.Create(accounts)).Validate(null, sendApi);
        Assert.True(keys.Succeeded, keys.FailureMessage);
        Assert.True(new GatewayOptionsValidator().Validate(null, gateway).Succeeded);
        var clients = config.GetSection(ApiClientOptions.Section).Get<ApiClientOptions>()!;
        Assert.True(new ApiClientOptionsValidator().Validate(null, clients).Succeeded);
        var pauses = config.GetSection(SendPauseOptions.Section).Get<SendPauseOptions>()!;
        Assert.True(new SendPauseOptionsValidator().Validate(null, pauses).Succeeded);
        var errors = config.GetSection(SendErrorOptions.Section).Get<SendErrorOptions>()!;
        Assert.True(new SendErrorOptionsValidator().Validate(null, errors).Succeeded);
        Assert.Equal(TimeSpan.FromHours(1), errors.Window);
        var retention = config.GetSection(PoolRetentionOptions.Section).Get<PoolRetentionOptions>()!;
        Assert.True(new PoolRetentionOptionsValidator().Validate(null, retention).Succeeded);
        var deadLetters = config.GetSection(DeadLetterOptions.Section).Get<DeadLetterOptions>()!;
        Assert.True(new DeadLetterOptionsValidator().Validate(null, deadLetters).Succeeded);
        Assert.Contains("orderNote", deadLetters.MaskedFields);
        var stages = config.GetSection(StageOptions.Section).Get<StageOptions>()!;
        Assert.True(new StageOptionsValidator().Validate(null, stages).Succeeded);
        var burst = config.GetSection(BurstGuardOptions.Section).Get<BurstGuardOptions>()!;
        Assert.True(new BurstGuardOptionsValidator().Validate(null, burst).Succeeded);
        Assert.Equal(500, burst.LimitOf("winter-qr"));
        var telemetry = config.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>()!;
        Assert.True(new TelemetryOptionsValidator().Validate(null, telemetry).Succeeded);
        var messaging = config.GetSection(MessagingOptions.Section).Get<MessagingOptions>()!;
        Assert.True(new MessagingOptionsValidator(config).Validate(null, messaging).Succeeded);
        Assert.Equal(QueueType.Quorum, messaging.EffectiveQueueType);
        Assert.Equal("ww1436e0e65a779aee", wecom.Corps["acme"].CorpId);
        Assert.Equal("1000002", wecom.Corps["acme"].Apps["crm"].AgentId);
    }
}
