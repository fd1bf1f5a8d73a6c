using WecomBridge.Api;
using WecomBridge.Callbacks;
using WecomBridge.Callbacks.Spool;
using WecomBridge.Crm;
using WecomBridge.Dispatch;
using WecomBridge.Enrichment;
using WecomBridge.Hosting;
using WecomBridge.Messaging;
using WecomBridge.Polling;
using WecomBridge.Resync;
using WecomBridge.SendApi;
using WecomBridge.Storage;
using WecomBridge.WeCom;

if (args is ["probe", ..]) return await HealthProbe.RunAsync(args);

// A value the configuration binder cannot convert throws while the app is built (a switch read then) or validated:
// both end in the same one line as a value that converts but is wrong.
WebApplication app;
try
{
    var builder = WebApplication.CreateBuilder(args);
    var roles = builder.Configuration.GetSection(BridgeOptions.Section).Get<BridgeOptions>() ?? new();
    builder.AddEmbeddedFakes();
    builder.AddBridgeDefaults();
    builder.AddStorage();
    builder.AddMessaging(bus =>
    {
        if (roles.Has(BridgeOptions.Gateway)) bus.AddEnrichment();
        if (roles.Has(BridgeOptions.Dispatcher)) bus.AddDispatchConsumers();
    });
    builder.AddApiClients();
    if (roles.Has(BridgeOptions.Gateway)) builder.AddCallbacks().AddPolling();
    if (roles.Has(BridgeOptions.Dispatcher)) builder.AddDispatch().AddResync();
    builder.AddApiV1(); // both roles serve /api/v1: the gateway its spool's quarantine, the dispatcher the CRM and send APIs

    app = builder.Build();
    if (app.Services.ValidateConfiguration(builder.Services) is [_, ..] failures) return InvalidConfiguration(string.Join("; ", failures));
    app.MapBridgeDefaults();
    if (roles.Has(BridgeOptions.Gateway)) app.MapCallbacks();
    var v1 = app.MapApiV1();
    if (roles.Has(BridgeOptions.Gateway)) v1.MapSpoolQuarantine();
    if (roles.Has(BridgeOptions.Dispatcher)) v1.MapCrm().MapResync().MapSendApi();
}
catch (ConfigurationException e)
{
    return InvalidConfiguration(e.Message);
}
catch (InvalidOperationException e) when (ConfigurationValues.Describe(e) is { } failure)
{
    return InvalidConfiguration(failure);
}

app.LogStartup();
await app.RunAsync();
return 0;

static int InvalidConfiguration(string reason)
{
    Console.Error.WriteLine($"WecomBridge: invalid configuration: {reason}");
    return 1;
}

public partial class Program;
