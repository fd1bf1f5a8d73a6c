using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using WecomBridge.Hosting;
using WecomBridge.Messaging;
using WecomBridge.Observability.Health;
using WecomBridge.OfficialAccount;
using WecomBridge.Sending.Limits;
using WecomBridge.WeCom;

namespace WecomBridge.Observability;

/// <summary>
/// The gauges whose source is remote (RabbitMQ's queue depths, the shared send pauses, the account health record):
/// read every Telemetry:SampleInterval by one loop and served from the last sample, so that a scrape never waits for
/// a broker or Redis. What this role does not run (no RabbitMQ, no dispatcher) has no gauge.
/// </summary>
internal sealed partial class MetricsSampler : BackgroundService
{
    private static readonly string[] Causes = [PauseCauses.Throttled, PauseCauses.Quota, PauseCauses.Configuration];
    private readonly IServiceProvider _services;
    private readonly OwnQueues _queues;
    private readonly IOptions<TelemetryOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<MetricsSampler> _logger;
    private volatile Measurement<long>[] _messages = [];
    private volatile Measurement<long>[] _consumers = [];
    private volatile Measurement<long>[] _paused = [];
    private volatile Measurement<long>[] _degraded = [];

    public MetricsSampler(IMeterFactory meters, IServiceProvider services, OwnQueues queues, IOptions<TelemetryOptions> options,
        TimeProvider time, ILogger<MetricsSampler> logger)
    {
        (_services, _queues, _options, _time, _logger) = (services, queues, options, time, logger);
        var meter = meters.Create(BridgeTelemetry.Name);
        meter.CreateObservableGauge("wecombridge.queue.messages", () => _messages,
            description: "Messages ready in each of this app's RabbitMQ queues, their _error queues and the catch-all (sampled)");
        meter.CreateObservableGauge("wecombridge.queue.consumers", () => _consumers, description: "Consumers of each of those queues (sampled)");
        meter.CreateObservableGauge("wecombridge.send.paused", () => _paused,
            description: "Send pauses on, by cause (throttled, quota, configuration) and corp or account (dispatcher; sampled)");
        meter.CreateObservableGauge("wecombridge.account.degraded", () => _degraded,
            description: "1 while a corp or account has a problem GET /api/v1/health/accounts explains (token, callbacks, pauses), else 0");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.Value.SampleInterval, _time);
        do
        {
            try
            {
                await SampleAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.Failed(_logger, e.GetType().Name); // the gauges keep the last sample
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task SampleAsync(CancellationToken ct)
    {
        if (_services.GetService<RabbitMqConnection>() is { } broker && await _queues.SampleAsync(broker, ct) is { } depths)
        {
            _messages = depths.Select(d => new Measurement<long>(d.Messages, new KeyValuePair<string, object?>("queue", d.Queue))).ToArray();
            _consumers = depths.Select(d => new Measurement<long>(d.Consumers, new KeyValuePair<string, object?>("queue", d.Queue))).ToArray();
        }
        var corps = _services.GetRequiredService<IOptionsMonitor<WeComOptions>>().CurrentValue.Corps.Keys.ToArray();
        var accounts = _services.GetRequiredService<IOptionsMonitor<OfficialAccountOptions>>().CurrentValue.Accounts.Keys.ToArray();
        if (_services.GetService<ISendPauseStore>() is { } pauseStore)
        {
            var now = _time.GetUtcNow();
            var on = (await pauseStore.AllAsync()).Where(p => p.Cause == PauseCauses.Configuration || p.Until > now).ToArray();
            _paused = corps.Select(c => ("corp", c, on.Where(p => p.Account is null && string.Equals(p.Corp, c, StringComparison.OrdinalIgnoreCase))))
                .Concat(accounts.Select(a => ("account", a, on.Where(p => string.Equals(p.Account, a, StringComparison.OrdinalIgnoreCase)))))
                .SelectMany(o => Causes.Select(cause => new Measurement<long>(o.Item3.Count(p => p.Cause == cause),
                    new KeyValuePair<string, object?>(o.Item1, o.Item2), new("cause", cause))))
                .ToArray();
        }
        var page = await _services.GetRequiredService<AccountHealthReport>().BuildAsync(_ => true, _ => true);
        _degraded = page.Corps
            .Select(c => new Measurement<long>(c.Status == HealthStates.Degraded ? 1 : 0, new KeyValuePair<string, object?>("corp", c.Corp)))
            .Concat(page.Accounts.Select(a =>
                new Measurement<long>(a.Status == HealthStates.Degraded ? 1 : 0, new KeyValuePair<string, object?>("account", a.Account))))
            .ToArray();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Metrics sample failed ({Error}); the gauges keep the last one")]
        public static partial void Failed(ILogger logger, string error);
    }
}
