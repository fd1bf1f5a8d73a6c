namespace WecomBridge.Sending.Status;

/// <summary>
/// The in-memory twin of the index of unfinished messages: the statuses themselves, read by their due time
/// (<see cref="OpenMessages.DueOf"/>) under the same lock, so it can never disagree with them.
/// </summary>
internal sealed partial class InMemorySendStatusStore
{
    public Task<bool> SettleAsync(SendStatus settled, SendStatus seen)
    {
        if (!settled.IsFinished) throw new ArgumentException("only a final state settles a message", nameof(settled));
        lock (_gate)
        {
            if (_messages.GetValueOrDefault(settled.MessageId) is not { } stored || stored.State != seen.State
                || OpenMessages.DueMs(stored) != OpenMessages.DueMs(seen))
                return Task.FromResult(false);
            _messages[settled.MessageId] = SendClaims.ForSave(settled);
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<string>> ListOpenAsync(string state, DateTimeOffset dueBy, int limit)
    {
        lock (_gate)
        {
            IReadOnlyList<string> due = _messages.Values
                .Where(s => s.State == state && OpenMessages.DueOf(s) <= dueBy)
                .OrderBy(OpenMessages.DueOf).Take(limit).Select(s => s.MessageId).ToList();
            return Task.FromResult(due);
        }
    }

    /// <summary>Nothing to do: statuses in memory do not expire, so the index never outlives one.</summary>
    public Task ForgetOpenAsync(string messageId) => Task.CompletedTask;
}
