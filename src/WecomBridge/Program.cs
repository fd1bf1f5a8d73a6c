using Microsoft.Extensions.Options;
using WecomBridge.Hosting;
using WecomBridge.Messaging;
using WecomBridge.Storage;

if (args is ["probe", ..]) return await HealthProbe.RunAsync(args);

var builder = WebApplication.CreateBuilder(args);
builder.AddBridgeDefaults();
builder.AddStorage();
builder.AddMessaging(_ => { });

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
app.LogStartup();
await app.RunAsync();
return 0;

public partial class Program;
