using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Scalar.AspNetCore;
using WecomBridge.Observability;

namespace WecomBridge.Hosting;

/// <summary>Telemetry, health, OpenAPI and problem details: everything every role needs. Each feature registers its own options.</summary>
internal static class HostingExtensions
{
    public static IHostApplicationBuilder AddBridgeDefaults(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddProblemDetails();
        services.AddOpenApi();
        services.AddHealthChecks();
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        builder.AddTelemetry(otlp, builder.AddObservability(otlp));
        return builder;
    }

    /// <summary>
    /// Traces and metrics over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set, metrics for Prometheus when
    /// Telemetry:Prometheus:Enabled. Without an exporter nothing is registered, so the hot path does not pay for
    /// activities no one reads.
    /// </summary>
    private static void AddTelemetry(this IHostApplicationBuilder builder, bool otlp, bool prometheus)
    {
        if (!otlp && !prometheus) return;
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("wecombridge"))
            .WithMetrics(m => m
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(BridgeTelemetry.Name, "MassTransit")
                .AddPrometheus(prometheus));
        if (!otlp) return;
        telemetry.WithTracing(t => t
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/health"))
                .AddHttpClientInstrumentation()
                .AddSource(BridgeTelemetry.Name, "MassTransit"))
            .UseOtlpExporter();
    }

    public static WebApplication MapBridgeDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false, ResponseWriter = HealthResponse.Write });
        app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = HealthResponse.Write });
        app.MapPrometheus();
        app.MapOpenApi();
        app.MapScalarApiReference();
        return app;
    }
}
