using Microsoft.Extensions.Options;
using WecomBridge.Callbacks;
using WecomBridge.Enrichment;
using WecomBridge.Hosting;
using WecomBridge.Messaging;
using WecomBridge.Storage;
using WecomBridge.WeCom;

if (args is ["probe", ..]) return await HealthProbe.RunAsync(args);

var builder = WebApplication.CreateBuilder(args);
var roles = builder.Configuration.GetSection(BridgeOptions.Section).Get<BridgeOptions>() ?? new();
builder.AddEmbeddedFakes();
builder.AddBridgeDefaults();
builder.AddStorage();
builder.AddMessaging(x => { if (roles.Has(BridgeOptions.Gateway)) x.AddEnrichment(); });
builder.AddApiClients();
if (roles.Has(BridgeOptions.Gateway)) builder.AddCallbacks();

var app = builder.Build();
try
{
    app.Services.ValidateConfiguration();
    app.MapBridgeDefaults();
    if (roles.Has(BridgeOptions.Gateway)) app.MapCallbacks();
}
catch (Exception e) when (e is OptionsValidationException or ConfigurationException)
{
    var reason = e is OptionsValidationException invalid ? string.Join("; ", invalid.Failures) : e.Message;
    Console.Error.WriteLine($"WecomBridge: invalid configuration: {reason}");
    return 1;
}

app.LogStartup();
await app.RunAsync();
return 0;

public partial class Program;
