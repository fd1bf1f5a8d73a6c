using System.Text;
using Microsoft.Extensions.Options;
using WecomBridge.Messaging;

namespace WecomBridge.Pool.Activity;

/// <summary>
/// The scheduled stage pass: every Pool:Stages:PassInterval, every contact's stage is evaluated again (in batches); with
/// PostgreSQL one instance at a time (an advisory lock), the others skip that round.
/// </summary>
internal sealed partial class StagePass(IPoolActivityStore store, IOptions<StageOptions> options, TimeProvider time, ILogger<StagePass> logger,
    PoolMetrics? metrics = null) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PassInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var started = time.GetTimestamp();
            try
            {
                var changed = await store.RestageAllAsync(time.GetUtcNow(), options.Value.BatchSize, stoppingToken);
                if (changed is { } n) Log.Passed(logger, n);
                else Log.Skipped(logger);
                metrics?.StagePass(time.GetElapsedTime(started), changed is null ? "skipped" : "done");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.Failed(logger, e.GetType().Name); // the next round tries again
                metrics?.StagePass(time.GetElapsedTime(started), "failed");
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1810, LogLevel.Information, "Pool stage pass done: {Changed} contacts changed stage")]
        public static partial void Passed(ILogger logger, int changed);

        [LoggerMessage(1811, LogLevel.Debug, "Pool stage pass skipped: another instance is running it")]
        public static partial void Skipped(ILogger logger);

        [LoggerMessage(1812, LogLevel.Warning, "Pool stage pass failed ({Error}); the next round tries again")]
        public static partial void Failed(ILogger logger, string error);
    }
}

/// <summary>
/// Publishes the pool's outbox (ContactStageChanged, ChannelBurstDetected) after the changes committed: at once when this
/// process wrote one, and every few seconds for rows of other instances or left by a failed publish.
/// </summary>
internal sealed partial class OutboxPublisher(IPoolActivityStore store, IMessagePublisher publisher, ActivityRules rules, TimeProvider time,
    ILogger<OutboxPublisher> logger, PoolMetrics? metrics = null) : BackgroundService
{
    private const int Batch = 100;
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await store.PublishOutboxAsync(Publish, Batch, stoppingToken) == Batch) { }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.Failed(logger, e.GetType().Name);
            }
            await rules.Outbox.WaitAsync(PollInterval, time, stoppingToken);
        }

        async Task Publish(OutboxEvent e)
        {
            await publisher.PublishAsync(EventJson.ContractType(e.Type), e.EventId, Encoding.UTF8.GetBytes(e.Body), stoppingToken);
            metrics?.Published(e.Type);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1813, LogLevel.Warning, "Pool outbox publish failed ({Error}); kept for the next round")]
        public static partial void Failed(ILogger logger, string error);
    }
}
