using Microsoft.Extensions.Options;
using WecomBridge.Callbacks;
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
builder.AddMessaging(_ => { });
builder.AddApiClients();
if (roles.Has(BridgeOptions.Gateway)) builder.AddCallbacks();

var app = builder.Build();
try
{
    app.Services.ValidateConfiguration();
}
catch (OptionsValidationException e)
{
    Console.Error.WriteLine($"WecomBridge: invalid configuration: {string.Join("; ", e.Failures)}");
    return 1;
}

app.MapBridgeDefaults();
if (roles.Has(BridgeOptions.Gateway)) app.MapCallbacks();
app.LogStartup();
await app.RunAsync();
return 0;

public partial class Program;
