using Microsoft.Extensions.Options;

namespace WecomBridge.Sending.Sweep;

/// <summary>
/// The dispatcher's sweeper: every Dispatch:Sweep:Interval, one <see cref="SendSweep"/> round. Every instance runs
/// it; a round is safe to run on several at once (each settle is a compare-and-set in the store).
/// </summary>
internal sealed partial class SendSweeper(SendSweep sweep, IOptions<SweepOptions> options, TimeProvider time, ILogger<SendSweeper> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.Interval, time, stoppingToken);
                await sweep.RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) // Redis away: the next round tries again
            {
                Log.Failed(logger, e.GetType().Name);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Sweep round failed ({Error}); the next round tries again")]
        public static partial void Failed(ILogger logger, string error);
    }
}

/// <summary>Registers the sweeper with the dispatcher's services.</summary>
internal static class SweepExtensions
{
    public static IServiceCollection AddSendSweep(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SweepOptions>().BindConfiguration(SweepOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SweepOptions>, SweepOptionsValidator>();
        services.AddSingleton<SendSweep>();
        if (configuration.GetValue(SweepOptions.Section + ":Enabled", true)) services.AddHostedService<SendSweeper>();
        return services;
    }
}
