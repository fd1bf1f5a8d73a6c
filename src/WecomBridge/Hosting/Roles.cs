using WecomBridge.Api;
using WecomBridge.Callbacks;
using WecomBridge.Callbacks.Spool;
using WecomBridge.Crm;
using WecomBridge.DeadLetters;
using WecomBridge.Enrichment;
using WecomBridge.Journeys.Definitions;
using WecomBridge.Journeys.Runtime;
using WecomBridge.Journeys.Views;
using WecomBridge.Messaging;
using WecomBridge.Observability.Health;
using WecomBridge.OperatorConsole;
using WecomBridge.Polling;
using WecomBridge.Pool;
using WecomBridge.Resync;
using WecomBridge.Sending.Api;
using WecomBridge.Sending.Dispatcher;
using WecomBridge.WeCom;

namespace WecomBridge.Hosting;

/// <summary>
/// The features of each role, by `Bridge:Roles` (both when unset): the gateway takes callbacks, enriches and polls;
/// the dispatcher sends, resyncs, keeps the contact pool and serves the CRM, send and pool APIs. Both serve /api/v1
/// (the gateway its spool's quarantine).
/// </summary>
internal static class Roles
{
    public static IHostApplicationBuilder AddRoles(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<BridgeOptions, BridgeOptionsValidator>(BridgeOptions.Section);
        var roles = Of(builder.Configuration);
        builder.AddApiClients(); // both roles call the APIs: the gateway to enrich and poll, the dispatcher to send
        builder.AddApiV1();      // both roles serve /api/v1, behind the same API keys
        builder.AddMessaging(bus =>
        {
            if (roles.Has(BridgeOptions.Gateway)) bus.AddEnrichment();
            if (roles.Has(BridgeOptions.Dispatcher)) bus.AddDispatchConsumers().AddPoolConsumers(builder.Configuration);
        });
        if (roles.Has(BridgeOptions.Gateway)) builder.AddCallbacks().AddPolling();
        builder.AddDeadLetters(); // both roles: each collects its own consumers' _error queues
        if (roles.Has(BridgeOptions.Dispatcher)) builder.AddDispatch().AddResync().AddSendApi().AddPool();
        if (roles.Has(BridgeOptions.Dispatcher)) builder.AddJourneyDefinitions(); // after the pool: its store and schema
        if (roles.Has(BridgeOptions.Dispatcher)) builder.AddJourneys(); // enrolments, timers, runner, triggers (with the pool)
        return builder;
    }

    public static WebApplication MapRoles(this WebApplication app)
    {
        var roles = Of(app.Configuration);
        if (roles.Has(BridgeOptions.Gateway)) app.MapCallbacks();
        var v1 = app.MapApiV1();
        v1.MapAccountHealth();
        if (roles.Has(BridgeOptions.Gateway)) v1.MapSpoolQuarantine();
        v1.MapDeadLetters();
        if (roles.Has(BridgeOptions.Dispatcher)) v1.MapCrm().MapResync().MapSendApi().MapPool(app.Configuration);
        if (roles.Has(BridgeOptions.Dispatcher)) v1.MapJourneyDefinitions(app.Configuration);
        if (roles.Has(BridgeOptions.Dispatcher)) v1.MapJourneys(app.Configuration);
        if (roles.Has(BridgeOptions.Dispatcher)) v1.MapJourneyViews(app.Configuration);
        app.MapConsole(v1);  // the operators' console at /console (and, on a dispatcher, its read routes)
        return app;
    }

    /// <summary>Read while the app is built (the roles decide what it registers); validated with the other options.</summary>
    private static BridgeOptions Of(IConfiguration configuration) =>
        configuration.GetSection(BridgeOptions.Section).Get<BridgeOptions>() ?? new();
}
