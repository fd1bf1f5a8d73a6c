using MassTransit;
using OpenTelemetry.Metrics;
using WecomBridge.Api;
using WecomBridge.Hosting;
using WecomBridge.Observability.Health;

namespace WecomBridge.Observability;

/// <summary>
/// The Prometheus scrape endpoint (Telemetry:Prometheus): the OpenTelemetry exporter reads the same meters as the
/// OTLP export, so one set of instruments feeds both. Off unless enabled; open to any scraper unless RequireApiKey.
/// </summary>
internal static class PrometheusEndpoint
{
    /// <summary>
    /// Registers the options, the instruments of this folder and, when a meter exporter reads them (Prometheus or
    /// OTLP), the sampler of the remote gauges; whether the endpoint is on.
    /// </summary>
    public static bool AddObservability(this IHostApplicationBuilder builder, bool otlp)
    {
        var services = builder.Services;
        services.AddValidatedOptions<TelemetryOptions, TelemetryOptionsValidator>(TelemetryOptions.Section);
        services.AddSingleton<BridgeMetrics>();
        services.AddSingleton<OwnQueues>();
        services.AddReceiveEndpointObserver(sp => sp.GetRequiredService<OwnQueues>());
        builder.AddAccountHealth();
        var prometheus = Options(builder.Configuration).Prometheus.Enabled;
        if (prometheus || otlp) services.AddHostedService<MetricsSampler>(); // no reader, no sampling round trips
        return prometheus;
    }

    /// <summary>The exporter on the meter provider (the endpoint serves what it collects).</summary>
    public static MeterProviderBuilder AddPrometheus(this MeterProviderBuilder metrics, bool enabled) =>
        enabled ? metrics.AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 1000) : metrics;

    public static WebApplication MapPrometheus(this WebApplication app)
    {
        var o = Options(app.Configuration).Prometheus;
        if (!o.Enabled) return app;
        var endpoint = app.MapPrometheusScrapingEndpoint(o.Path);
        if (o.RequireApiKey) endpoint.RequireAuthorization(ApiV1Extensions.Policy);
        return app;
    }

    /// <summary>Read while the app is built (what it maps depends on it); validated with the other options.</summary>
    private static TelemetryOptions Options(IConfiguration configuration) =>
        configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new();
}
