using Microsoft.Extensions.Options;
using WecomBridge.Contracts.Operations;
using WecomBridge.Messaging;

namespace WecomBridge.DeadLetters;

/// <summary>
/// Replay and discard, each under a lease on the dead letter (a second action meanwhile: <see cref="ActionOutcome.Busy"/>).
/// Replay publishes to the original queue and waits for the broker's confirm before it deletes the stored copy, so a
/// failure leaves it stored (nothing lost) and a replay that succeeded cannot be repeated (the copy is gone: NotFound).
/// Each done action then publishes its audit event (ids only); a failed audit publish is logged and does not undo it.
/// </summary>
internal sealed partial class DeadLetterActions(IDeadLetterStore store, IMessagePublisher publisher, IOptions<DeadLetterOptions> options,
    TimeProvider clock, ILogger<DeadLetterActions> logger, DeadLetterReplayer? replayer = null)
{
    public async Task<ActionOutcome> ReplayAsync(string id, string actor, CancellationToken ct) =>
        await UnderLeaseAsync(id, async letter =>
        {
            if (replayer is null) return ActionOutcome.Unavailable; // embedded mode: nothing is collected to replay
            await replayer.ReplayAsync(letter, ct);
            await store.DeleteAsync(id);
            Log.Replayed(logger, id, letter.Queue, actor);
            var auditId = EventIds.Of($"dead-letter:{id}:replayed");
            await OperatorAudit.PublishAsync(publisher, logger, auditId, new DeadLetterReplayed(auditId, id,
                letter.Queue, letter.MessageType, letter.MessageId, actor, clock.GetUtcNow()), id);
            return ActionOutcome.Done;
        });

    public async Task<ActionOutcome> DiscardAsync(string id, string actor) =>
        await UnderLeaseAsync(id, async letter =>
        {
            if (!await store.DeleteAsync(id)) return ActionOutcome.NotFound;
            Log.Discarded(logger, id, letter.Queue, actor);
            var auditId = EventIds.Of($"dead-letter:{id}:discarded");
            await OperatorAudit.PublishAsync(publisher, logger, auditId, new DeadLetterDiscarded(auditId, id,
                letter.Queue, letter.MessageType, letter.MessageId, actor, clock.GetUtcNow()), id);
            return ActionOutcome.Done;
        });

    private async Task<ActionOutcome> UnderLeaseAsync(string id, Func<DeadLetter, Task<ActionOutcome>> action)
    {
        var owner = Guid.NewGuid().ToString("N");
        if (!await store.TryLeaseAsync(id, owner, options.Value.ActionLease))
            return await store.GetAsync(id) is null ? ActionOutcome.NotFound : ActionOutcome.Busy;
        try
        {
            return await store.GetAsync(id) is { } letter ? await action(letter) : ActionOutcome.NotFound;
        }
        finally
        {
            await store.ReleaseAsync(id, owner);
        }
    }


    private static partial class Log
    {
        [LoggerMessage(10, LogLevel.Information, "Dead letter {Id} replayed to {Queue} by API key {Actor}")]
        public static partial void Replayed(ILogger logger, string id, string queue, string actor);

        [LoggerMessage(11, LogLevel.Information, "Dead letter {Id} of {Queue} discarded by API key {Actor}")]
        public static partial void Discarded(ILogger logger, string id, string queue, string actor);
    }
}

internal enum ActionOutcome { Done, NotFound, Busy, Unavailable }
