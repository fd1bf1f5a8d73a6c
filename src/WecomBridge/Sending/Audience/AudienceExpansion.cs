using Microsoft.Extensions.Options;
using WecomBridge.Contracts.Sending;
using WecomBridge.Messaging;
using WecomBridge.Pool.Segments;
using WecomBridge.Sending.Dispatcher;
using WecomBridge.Sending.Status;
using WecomBridge.Sending.Suppression;

namespace WecomBridge.Sending.Audience;

/// <summary>
/// Expands a customer task's audience in the dispatcher: the segment's contacts page by page (keyset, in external user
/// id order, every page at the request's time), each contact to one member (<see cref="AudiencePlan"/>), each page's
/// contacts queued as one task per member (<see cref="AudienceTasks"/>). The tasks are ordinary sends: quiet hours,
/// pauses, the suppression list, the customer caps and the rate limits apply to each of them as to any customer task,
/// and a task deferred by quiet hours comes back when they end. The message is held like a send (a lease, renewed per
/// page); the ledger keeps the next page and which task each contact went to, so an expansion run again (a
/// redelivery, another instance after a crash) resumes and never puts a contact in a second task.
/// </summary>
internal sealed partial class AudienceExpansion(
    ISendStatusStore store, SendResults results, IAudienceLedger ledger, ISuppressionList suppression, IMessagePublisher publisher,
    ISendScheduler scheduler, IServiceProvider services, IOptions<DispatchOptions> options, TimeProvider time,
    ILogger<AudienceExpansion> logger)
{
    public const string Empty = "empty audience";

    private DispatchOptions Options => options.Value;

    public static bool Expands(SendRequested send) => send is { Kind: SendKinds.CustomerTask, CustomerTask.Audience: not null };

    public async Task RunAsync(SendRequested send, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var fresh = new SendStatus(send.MessageId, send.Kind, send.Corp, send.App, send.Account, null, SendStates.Accepted, send.RequestedAt,
            now, NotAfter: send.NotAfter);
        var problem = SendCommandCheck.Problem(send)
            ?? (send.CustomerTask!.ExternalUserIds is not null || send.CustomerTask.TagFilter is not null
                ? "customerTask.audience excludes externalUserIds and tagFilter" : null);
        if (problem is not null)
        {
            Log.Malformed(logger, send.MessageId, problem);
            if (await store.GetAsync(send.MessageId) is not { IsFinished: true })
                await results.FailedAsync(fresh, null, "malformed command: " + problem);
            return;
        }
        var claim = await store.ClaimAsync(send.MessageId, fresh, now, Options.SendLease, null);
        switch (claim.Outcome)
        {
            case ClaimOutcome.Finished:
                await results.AnnounceAsync(claim.Status);
                return;
            case ClaimOutcome.InFlight: // another instance is expanding it; look again when its lease ends
                await scheduler.ScheduleAsync(send, (claim.Status.LeaseUntil ?? now) - now + TimeSpan.FromSeconds(1), ct);
                return;
        }
        var status = claim.Status with { NotAfter = SendDrops.Earliest(claim.Status.NotAfter, send.NotAfter) };
        try
        {
            if (SendDrops.IsExpired(status, now)) await results.DroppedAsync(status, SendDrops.Expired);
            else await ExpandAsync(send, status, ct);
        }
        catch (LeaseLostException)
        {
            Log.LeaseLost(logger, send.MessageId);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Nothing is lost: the ledger holds what was queued, and the claim is released so that the next try resumes at
            // once. Redis away: the consumer retries (or waits); anything else (the pool's database) comes back after a delay.
            Log.Interrupted(logger, send.MessageId, e.GetType().Name);
            await ReleaseAsync(status);
            if (e is StackExchange.Redis.RedisException or TimeoutException) throw;
            await scheduler.ScheduleAsync(send, Options.RetryBaseDelay, ct);
        }
    }

    private async Task ExpandAsync(SendRequested send, SendStatus status, CancellationToken ct)
    {
        var id = send.MessageId;
        var task = send.CustomerTask!;
        if (services.GetService<ISegmentStore>() is not { } segments)
        {
            await results.FailedAsync(status, null, "audience: this dispatcher keeps no contact pool (Pool:Enabled)");
            return;
        }
        var json = await AudienceResolver.FilterOfAsync(send.Corp!, task.Audience!, segments, ct);
        var errors = new Dictionary<string, string[]>();
        if (json is null || SegmentFilterParser.Parse(json.Value, "filter", errors) is not { } filter)
        {
            await results.FailedAsync(status, null, json is null ? "audience: no such segment" : "audience: the filter is not valid");
            return;
        }
        var query = new SegmentQuery(send.Corp!, filter, send.RequestedAt);
        var cursor = AudienceCursor.Read(await ledger.ReadAsync(id));
        while (cursor is { } at)
        {
            var contacts = await segments.PageAsync(query, Options.AudiencePageSize, at.After, ct);
            var (suppressed, unreachable) = contacts.Count == 0 ? (0, 0) : await QueueAsync(send, at.Page, contacts, ct);
            var next = contacts.Count == Options.AudiencePageSize ? at with { Page = at.Page + 1, After = contacts[^1].ExternalUserId } : null;
            var fields = new List<KeyValuePair<string, string>> { AudienceCursor.Write(next) };
            if (contacts.Count > 0 || at.Page == 0) fields.Add(AudienceProgress.Page(at.Page, contacts.Count, suppressed, unreachable));
            await ledger.SetAsync(id, fields);
            Log.PageQueued(logger, id, at.Page, contacts.Count);
            cursor = next;
            if (next is not null) status = await RenewAsync(status);
        }
        var progress = AudienceProgress.From(await ledger.ReadAsync(id));
        Log.Expanded(logger, id, progress.Matched, progress.Tasks);
        if (progress.Matched == 0) await results.DroppedAsync(status, Empty);
        else if (progress.Tasks == 0)
            await results.FailedAsync(status, null, "no contact of the audience can be sent to: each is suppressed or followed by no member");
        else await results.SentAsync(status, new CallResult(null, []), []);
    }

    /// <summary>One page: each contact to its member (the ledger's earlier assignment stands), one task per member queued.</summary>
    private async Task<(int Suppressed, int Unreachable)> QueueAsync(SendRequested send, int page, IReadOnlyList<SegmentContact> contacts,
        CancellationToken ct)
    {
        var task = send.CustomerTask!;
        var plan = await AudiencePlan.ForAsync(send.Corp!, task.Sender, contacts, suppression);
        var wanted = plan.Senders
            .Select(p => new KeyValuePair<string, string>(p.Key, AudienceTasks.Id(send.MessageId, page, p.Value) + "\n" + p.Value)).ToList();
        var assigned = await ledger.AssignAsync(send.MessageId, wanted);
        foreach (var group in wanted.Zip(assigned, (w, a) => (Contact: w.Key, Task: a)).GroupBy(x => x.Task, StringComparer.Ordinal))
        {
            var (taskId, sender) = (group.Key[..group.Key.IndexOf('\n')], group.Key[(group.Key.IndexOf('\n') + 1)..]);
            var customers = group.Select(x => x.Contact).ToList();
            await ledger.SetAsync(send.MessageId, [AudienceProgress.TaskSize(taskId, customers.Count)]);
            var child = send with
            {
                MessageId = taskId,
                CustomerTask = task with { Sender = sender, ExternalUserIds = customers, TagFilter = null, Audience = null },
            };
            await publisher.PublishAsync(typeof(SendRequested), taskId, EventJson.Serialize(child), ct);
        }
        return (plan.Suppressed, plan.Unreachable);
    }

    /// <summary>Holds the message for another lease before the next page; a lease taken over by another instance stops this one.</summary>
    private async Task<SendStatus> RenewAsync(SendStatus status)
    {
        var now = time.GetUtcNow();
        var renewed = status with { UpdatedAt = now, LeaseUntil = now + Options.SendLease };
        if (!await store.SaveAsync(renewed)) throw new LeaseLostException(status.MessageId);
        return renewed;
    }

    private async Task ReleaseAsync(SendStatus status)
    {
        try
        {
            await store.SaveAsync(status with { State = SendStates.Accepted, UpdatedAt = time.GetUtcNow(), LeaseUntil = null });
        }
        catch (Exception e) // best effort: with Redis away the lease ends by itself
        {
            Log.ReleaseFailed(logger, status.MessageId, e.GetType().Name);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Audience of {MessageId}: page {Page} ({Contacts} contacts) queued")]
        public static partial void PageQueued(ILogger logger, string messageId, int page, int contacts);

        [LoggerMessage(2, LogLevel.Information, "Audience of {MessageId} expanded: {Matched} contacts in {Tasks} tasks")]
        public static partial void Expanded(ILogger logger, string messageId, long matched, int tasks);

        [LoggerMessage(3, LogLevel.Warning, "Audience of {MessageId}: malformed command ({Problem}); failed without a call")]
        public static partial void Malformed(ILogger logger, string messageId, string problem);

        [LoggerMessage(4, LogLevel.Warning, "Audience of {MessageId}: another instance took it over; this expansion stops")]
        public static partial void LeaseLost(ILogger logger, string messageId);

        [LoggerMessage(5, LogLevel.Warning, "Audience of {MessageId}: expansion interrupted ({Error}); it resumes where it stopped")]
        public static partial void Interrupted(ILogger logger, string messageId, string error);

        [LoggerMessage(6, LogLevel.Warning, "Audience of {MessageId}: its claim could not be released ({Error}); it waits for the lease")]
        public static partial void ReleaseFailed(ILogger logger, string messageId, string error);
    }
}
