using MassTransit;
using WecomBridge.Hosting;

namespace WecomBridge.Messaging;

/// <summary>
/// MassTransit on RabbitMQ when ConnectionStrings:RabbitMq is set, else on the in-memory transport.
/// Raw JSON bodies and explicit `wecombridge.*` exchange names, so that plain AMQP clients consume them.
/// </summary>
internal static class MessagingExtensions
{
    public static bool UsesRabbitMq(this IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration.GetConnectionString("RabbitMq"));

    public static IHostApplicationBuilder AddMessaging(
        this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator> registerConsumers)
    {
        var rabbitMq = builder.Configuration.GetConnectionString("RabbitMq");
        builder.Services.AddValidatedOptions<MessagingOptions, MessagingOptionsValidator>(MessagingOptions.Section);
        // The nodes (Messaging:Hosts, else the URI's host) and the queue type (Messaging:QueueType), for both connections.
        var broker = string.IsNullOrWhiteSpace(rabbitMq) ? null : RabbitMqBroker.From(builder.Configuration);
        if (broker is not null) builder.Services.AddSingleton(broker);
        // Instances of one deployment share their queues (competing consumers); another deployment on the
        // same broker, or a test, takes its own prefix.
        var endpointPrefix = builder.Configuration["Messaging:EndpointPrefix"] ?? "wecombridge";
        builder.Services.AddMassTransit(x =>
        {
            x.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(endpointPrefix, includeNamespace: false));
            // MassTransit 8.4+ reports anonymous usage to its vendor over the internet unless told not to.
            x.ConfigureUsageTelemetryOptions(o => o.Enabled = false);
            registerConsumers(x);
            if (broker is null)
                x.UsingInMemory((context, cfg) => Configure(context, cfg, endpointPrefix));
            else
            {
                // The consumers' queues as quorum queues; the bus's own temporary queue stays classic.
                if (broker.Quorum)
                    x.AddConfigureEndpointsCallback((_, _, endpoint) => (endpoint as IRabbitMqReceiveEndpointConfigurator)?.SetQuorumQueue());
                x.UsingRabbitMq((context, cfg) =>
                {
                    cfg.Host(broker.Uri, h =>
                    {
                        h.ConnectionName("wecombridge");
                        if (broker.Listed) h.UseCluster(c => { foreach (var node in broker.Nodes) c.Node($"{node.HostName}:{node.Port}"); });
                    });
                    Configure(context, cfg, endpointPrefix);
                });
            }
        });
        // Messaging:WaitUntilStarted: the app starts only once the bus (its queues and bindings) is up. Off by default,
        // so that a gateway starts while the broker is away (it spools); tests turn it on.
        if (builder.Configuration.GetValue<bool>("Messaging:WaitUntilStarted"))
            builder.Services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = true);
        if (string.IsNullOrWhiteSpace(rabbitMq))
            builder.Services.AddSingleton<IMessagePublisher, BusMessagePublisher>();
        else
        {
            // Messaging:CoalesceSocketWrites (default on): a way back to RabbitMQ.Client's own socket should a client
            // upgrade break what the coalesced socket relies on (CoalescedConnectionTests pin it), and for A/B runs.
            var coalesce = builder.Configuration.GetValue("Messaging:CoalesceSocketWrites", true);
            builder.Services.AddSingleton(sp =>
                new RabbitMqConnection(broker!, sp.GetRequiredService<ILogger<RabbitMqConnection>>(), coalesce));
            builder.Services.AddSingleton<IMessagePublisher>(sp => new RabbitMqMessagePublisher(
                sp.GetRequiredService<RabbitMqConnection>(), sp.GetRequiredService<ILogger<RabbitMqMessagePublisher>>(), endpointPrefix,
                sp.GetService<System.Diagnostics.Metrics.IMeterFactory>(), broker!.Quorum));
            builder.Services.AddSingleton<QueueTypeMismatch>();
            builder.Services.AddReceiveEndpointObserver(sp => sp.GetRequiredService<QueueTypeMismatch>());
            // Ready when a channel opens on the shared connection (so credentials and vhost count too). The check
            // connects when no one else is, and fails at once while a publisher is reconnecting rather than wait.
            builder.Services.AddHealthChecks().AddRabbitMQ(sp => sp.GetRequiredService<RabbitMqConnection>().OpenOrFailAsync(),
                name: "rabbitmq", tags: ["ready"], timeout: RabbitMqConnection.ConnectTimeout);
        }
        return builder;
    }

    private static void Configure<T>(IBusRegistrationContext context, IBusFactoryConfigurator<T> cfg, string commandPrefix)
        where T : IReceiveEndpointConfigurator
    {
        cfg.MessageTopology.SetEntityNameFormatter(new BridgeEntityNameFormatter(cfg.MessageTopology.EntityNameFormatter, commandPrefix));
        cfg.UseRawJsonSerializer(RawSerializerOptions.AddTransportHeaders | RawSerializerOptions.CopyHeaders, isDefault: true);
        cfg.UseRawJsonDeserializer(RawSerializerOptions.AnyMessageType, isDefault: true);
        cfg.UseFilter(new Observability.Tracing.TraceContextFilter()); // consumers continue their message's trace (docs/tracing.md)
        // Every property present, optional ones as null: what contracts/README.md promises consumers.
        cfg.ConfigureJsonSerializerOptions(json =>
        {
            json.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never;
            return json;
        });
        // Consumers a feature registered but its configuration switched off (e.g. Enrichment:Enabled=false) get no endpoint.
        var excluded = context.GetServices<ExcludedConsumers>().SelectMany(e => e.Types).ToArray();
        cfg.ConfigureEndpoints(context, filter =>
        {
            if (excluded.Length > 0) filter.Exclude(excluded);
        });
    }
}

/// <summary>
/// Consumer types that stay registered but get no receive endpoint (no queue, no binding): how a feature's
/// configuration switches its consumers off without the host's registration code knowing of it.
/// </summary>
internal sealed record ExcludedConsumers(IReadOnlyCollection<Type> Types);
