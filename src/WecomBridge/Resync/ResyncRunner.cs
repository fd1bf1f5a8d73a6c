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
        while (_queue.Reader.TryRead(out var queued)) // never started: end them now rather than leave their locks to expire
            await EndAsync(queued.Run with { State = ResyncProgress.Failed, FinishedAt = time.GetUtcNow(), Error = Stopped }, null);
    }

    private const string Stopped = "stopped: the instance shut down";

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
            error = Stopped;
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
        await EndAsync(final, walk);
    }

    /// <summary>Saves the end and frees the lock, then publishes ResyncFinished; a failure here is logged, never thrown.</summary>
    private async Task EndAsync(ResyncProgress final, ResyncWalk? walk)
    {
        Log.Finished(logger, final.Id, final.State, final.Pages, final.Items);
        try
        {
            await store.FinishAsync(final);
            if (walk is not null) await walk.PublishFinishedAsync(final);
        }
        catch (Exception e)
        {
            Log.EndNotSaved(logger, final.Id, e);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Resync {ResyncId} started ({Scope})")]
        public static partial void Started(ILogger logger, string resyncId, string scope);

        [LoggerMessage(2, LogLevel.Information, "Resync {ResyncId} {State}: {Pages} pages, {Items} items")]
        public static partial void Finished(ILogger logger, string resyncId, string state, int pages, int items);

        [LoggerMessage(3, LogLevel.Error, "Resync {ResyncId} failed unexpectedly")]
        public static partial void Crashed(ILogger logger, string resyncId, Exception exception);

        [LoggerMessage(4, LogLevel.Warning, "Resync {ResyncId} could not record its end; its lock expires after Resync:LockTtl")]
        public static partial void EndNotSaved(ILogger logger, string resyncId, Exception exception);
    }
}
