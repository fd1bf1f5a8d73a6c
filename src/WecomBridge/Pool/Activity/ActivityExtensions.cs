using WecomBridge.Hosting;

namespace WecomBridge.Pool.Activity;

/// <summary>Activity, stages and the burst guard beside the pool's store (either one): rules, the stage pass, the outbox publisher.</summary>
internal static class ActivityExtensions
{
    public static IServiceCollection AddPoolActivity(this IServiceCollection services)
    {
        services.AddValidatedOptions<StageOptions, StageOptionsValidator>(StageOptions.Section);
        services.AddValidatedOptions<BurstGuardOptions, BurstGuardOptionsValidator>(BurstGuardOptions.Section);
        services.AddSingleton<ActivityRules>();
        services.AddSingleton(sp => (IPoolActivityStore)sp.GetRequiredService<IPoolStore>());
        services.AddHostedService<StagePass>();
        services.AddHostedService<OutboxPublisher>();
        return services;
    }
}
