using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using WecomBridge.Messaging;
using WecomBridge.Storage;

namespace WecomBridge.Hosting;

/// <summary>One line at start: roles, mode (embedded or servers) and where the app listens. No secrets.</summary>
internal static partial class StartupLog
{
    public static void LogStartup(this WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var config = app.Configuration;
            var roles = string.Join(", ", app.Services.GetRequiredService<IOptions<BridgeOptions>>().Value.EffectiveRoles);
            var transport = config.UsesRabbitMq()
                ? "RabbitMQ " + app.Services.GetRequiredService<RabbitMqBroker>().Describe()
                : "in-memory transport";
            var storage = config.UsesRedis()
                ? "Redis " + StorageExtensions.Describe(config.GetConnectionString("Redis")!)
                : "in-memory stores";
            var mode = config.UsesRabbitMq() || config.UsesRedis() ? "servers" : "embedded";
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
            Started(app.Logger, roles, mode, transport, storage, string.Join(", ", addresses ?? []));
            if (app.Services.GetService<WecomBridge.Fakes.WeComFake>() is { } wecom) FakeApi(app.Logger, "WeCom", wecom.BaseUrl);
            if (app.Services.GetService<WecomBridge.Fakes.OfficialAccountFake>() is { } oa) FakeApi(app.Logger, "Official Account", oa.BaseUrl);
        });
    }

    [LoggerMessage(1, LogLevel.Information, "WecomBridge started: roles {Roles}; mode {Mode} ({Transport}, {Storage}); listening on {Addresses}")]
    private static partial void Started(ILogger logger, string roles, string mode, string transport, string storage, string addresses);

    [LoggerMessage(2, LogLevel.Information, "Development: the {Api} API is the in-process fake at {BaseUrl}")]
    private static partial void FakeApi(ILogger logger, string api, string baseUrl);
}
