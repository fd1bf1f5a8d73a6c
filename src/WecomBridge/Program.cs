using WecomBridge.Hosting;
using WecomBridge.Storage;

// `WecomBridge probe [url]`: the container's health check (the aspnet image has no curl).
if (args is ["probe", ..]) return await HealthProbe.RunAsync(args);

// A wrong setting stops the app before it listens: one line on stderr and exit code 1.
return await BridgeHost.RunAsync(args,
    builder =>
    {
        builder.AddEmbeddedFakes();  // Development without base URLs: the Tencent APIs are in-process fakes
        builder.AddBridgeDefaults(); // telemetry, health, OpenAPI, problem details
        builder.AddStorage();        // one Redis connection when ConnectionStrings:Redis is set
        builder.AddRoles();          // Bridge:Roles: the gateway's and the dispatcher's features (Hosting/Roles.cs)
    },
    app =>
    {
        app.MapBridgeDefaults();
        app.MapRoles();
    });

public partial class Program;
