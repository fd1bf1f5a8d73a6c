using Microsoft.Extensions.Options;
using WecomBridge.Api;
using WecomBridge.Callbacks;
using WecomBridge.Crm;
using WecomBridge.Hosting;
using WecomBridge.Messaging;
using WecomBridge.Resync;
using WecomBridge.Storage;
using WecomBridge.WeCom;

if (args is ["probe", ..]) return await HealthProbe.RunAsync(args);

var builder = WebApplication.CreateBuilder(args);
var roles = builder.Configuration.GetSection(BridgeOptions.Section).Get<BridgeOptions>() ?? new();
builder.AddEmbeddedFakes();
builder.AddBridgeDefaults();
builder.AddStorage();
builder.AddMessaging(_ => { });
builder.AddApiClients();
if (roles.Has(BridgeOptions.Gateway)) builder.AddCallbacks();
if (roles.Has(BridgeOptions.Dispatcher)) builder.AddApiV1().AddResync();

var app = builder.Build();
try
{
    app.Services.ValidateConfiguration();
    app.MapBridgeDefaults();
    if (roles.Has(BridgeOptions.Gateway)) app.MapCallbacks();
    if (roles.Has(BridgeOptions.Dispatcher)) app.MapApiV1().MapCrm().MapResync();
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
