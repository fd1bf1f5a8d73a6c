using Microsoft.Extensions.DependencyInjection.Extensions;
using WecomBridge.Pool;

namespace WecomBridge.Journeys.Views;

/// <summary>
/// Watching journeys on the dispatcher, with the pool: their instruments (registered with the definitions) and the
/// progress, history and dry-run routes. The journey store they read is the journey runtime's.
/// </summary>
internal static class JourneyViewsExtensions
{
    public static IHostApplicationBuilder AddJourneyViews(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<JourneyMetrics>();
        return builder;
    }

    public static RouteGroupBuilder MapJourneyViews(this RouteGroupBuilder api, IConfiguration configuration)
    {
        if (!PoolOptions.IsEnabled(configuration)) return api;
        // The instruments exist from the start (the runner records through them; the due gauges are read when collected).
        ((IEndpointRouteBuilder)api).ServiceProvider.GetService<JourneyMetrics>();
        return api.MapJourneyViewApi();
    }
}
