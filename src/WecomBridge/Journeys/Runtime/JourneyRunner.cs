using Microsoft.Extensions.Options;

namespace WecomBridge.Journeys.Runtime;

/// <summary>
/// The runner of every dispatcher: claims due steps in batches (Journeys:BatchSize, held for Journeys:Lease), takes
/// up to Journeys:StepConcurrency of them at once (one contact's steps one after the other, in due order), claims
/// again at once while batches come back full, else waits Journeys:PollInterval. A step spends most of its time
/// waiting on PostgreSQL, Redis and the broker's confirm, so steps side by side keep the CPU busy. Runners of all
/// dispatchers share the work through the store's claims; one that dies leaves its steps to the others after the lease.
/// </summary>
internal sealed partial class JourneyRunner(
    IJourneyStore store, JourneyStepRunner steps, IOptionsMonitor<JourneyRuntimeOptions> options, TimeProvider time,
    ILogger<JourneyRunner> logger) : BackgroundService
{
    /// <summary>This runner's lease owner: unique per process start.</summary>
    public string Owner { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var full = false;
            try
            {
                full = await RunOnceAsync(stoppingToken) == options.CurrentValue.BatchSize;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.ClaimFailed(logger, e.GetType().Name);
            }
            if (!full) await Task.Delay(options.CurrentValue.PollInterval, time, stoppingToken);
        }
    }

    /// <summary>One claim and its steps; how many were claimed.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var o = options.CurrentValue;
        var claimed = await store.ClaimAsync(Owner, time.GetUtcNow(), o.Lease, o.BatchSize, ct);
        // Grouped by contact: two journeys' steps for one contact never race (tags, caps), and keep their order.
        var contacts = claimed.GroupBy(c => (c.Enrolment.Corp, c.Enrolment.ExternalUserId)).ToList();
        await Parallel.ForEachAsync(contacts, new ParallelOptions { MaxDegreeOfParallelism = o.StepConcurrency, CancellationToken = ct },
            async (contact, token) =>
            {
                foreach (var step in contact) await TakeAsync(step, token);
            });
        return claimed.Count;
    }

    private async Task TakeAsync(ClaimedStep step, CancellationToken ct)
    {
        try
        {
            await steps.RunAsync(Owner, step, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Left leased: taken again after the lease, as if this runner had died.
            Log.StepFailed(logger, step.Enrolment.Id, step.StepIndex, e.GetType().Name);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1910, LogLevel.Warning, "Journey runner: claiming due steps failed ({Error}); trying again")]
        public static partial void ClaimFailed(ILogger logger, string error);

        [LoggerMessage(1911, LogLevel.Warning, "Journey enrolment {EnrolmentId} step {StepIndex} failed ({Error}); taken again after its lease")]
        public static partial void StepFailed(ILogger logger, Guid enrolmentId, int stepIndex, string error);
    }
}
