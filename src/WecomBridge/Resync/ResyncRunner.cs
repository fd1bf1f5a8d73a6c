using System.Threading.Channels;
using Microsoft.Extensions.Options;
using WecomBridge.WeCom;

namespace WecomBridge.Resync;

/// <summary>
/// Runs queued re-syncs in the background with the app's lifetime: at most MaxRuns at once, each paced by
/// DetailConcurrency. A run that fails or is stopped ends in state failed and frees its lock.
/// </summary>
internal sealed partial class ResyncRunner(IServiceProvider services, IResyncStore store, IOptions<ResyncOptions> options,
    TimeProvider time, ILogger<ResyncRunner> logger) : BackgroundService
{
    private readonly Channel<ResyncJob> _queue = Channel.CreateUnbounded<ResyncJob>();

    public void Enqueue(ResyncJob job) => _queue.Writer.TryWrite(job);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var slots = new SemaphoreSlim(options.Value.MaxRuns);
        var running = new List<Task>();
        try
        {
            await foreach (var job in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                await slots.WaitAsync(stoppingToken);
                running.RemoveAll(task => task.IsCompleted);
                running.Add(Task.Run(async () =>
                {
                    try { await RunAsync(job, stoppingToken); }
                    finally { slots.Release(); }
                }, CancellationToken.None));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await Task.WhenAll(running);
    }

    private async Task RunAsync(ResyncJob job, CancellationToken stoppingToken)
    {
        var walk = ActivatorUtilities.CreateInstance<ResyncWalk>(services, job);
        string? error = null;
        try
        {
            Log.Started(logger, job.Run.Id, job.Run.Scope);
            await walk.RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            error = "stopped: the instance shut down";
        }
        catch (ApiException e)
        {
            error = e.ErrCode is { } code ? $"{e.Path} answered errcode {code}" : $"{e.Path} failed ({e.Class})";
        }
        catch (Exception e)
        {
            Log.Crashed(logger, job.Run.Id, e);
            error = "internal error";
        }
        var final = walk.Snapshot(error is null ? ResyncProgress.Completed : ResyncProgress.Failed, time.GetUtcNow(), error);
        Log.Finished(logger, final.Id, final.State, final.Pages, final.Items);
        await store.FinishAsync(final);
        await walk.PublishFinishedAsync(final);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Resync {ResyncId} started ({Scope})")]
        public static partial void Started(ILogger logger, string resyncId, string scope);

        [LoggerMessage(2, LogLevel.Information, "Resync {ResyncId} {State}: {Pages} pages, {Items} items")]
        public static partial void Finished(ILogger logger, string resyncId, string state, int pages, int items);

        [LoggerMessage(3, LogLevel.Error, "Resync {ResyncId} failed unexpectedly")]
        public static partial void Crashed(ILogger logger, string resyncId, Exception exception);
    }
}
