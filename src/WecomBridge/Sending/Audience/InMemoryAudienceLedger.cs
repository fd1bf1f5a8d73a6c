namespace WecomBridge.Sending.Audience;

/// <summary>The embedded mode's ledger: one process, kept until it stops (like the rest of its send status).</summary>
internal sealed class InMemoryAudienceLedger : IAudienceLedger
{
    private readonly Dictionary<string, (Dictionary<string, string> Assigned, Dictionary<string, string> Fields)> _messages =
        new(StringComparer.Ordinal);

    public Task<IReadOnlyList<string>> AssignAsync(string messageId, IReadOnlyList<KeyValuePair<string, string>> contactTasks)
    {
        lock (_messages)
        {
            var assigned = Of(messageId).Assigned;
            var tasks = new List<string>(contactTasks.Count);
            foreach (var (contact, task) in contactTasks)
            {
                assigned.TryAdd(contact, task);
                tasks.Add(assigned[contact]);
            }
            return Task.FromResult<IReadOnlyList<string>>(tasks);
        }
    }

    public Task SetAsync(string messageId, IReadOnlyList<KeyValuePair<string, string>> fields)
    {
        lock (_messages)
        {
            var stored = Of(messageId).Fields;
            foreach (var (name, value) in fields) stored[name] = value;
            return Task.CompletedTask;
        }
    }

    public Task<IReadOnlyDictionary<string, string>> ReadAsync(string messageId)
    {
        lock (_messages)
        {
            return Task.FromResult<IReadOnlyDictionary<string, string>>(_messages.TryGetValue(messageId, out var m)
                ? new Dictionary<string, string>(m.Fields, StringComparer.Ordinal) : new Dictionary<string, string>());
        }
    }

    private (Dictionary<string, string> Assigned, Dictionary<string, string> Fields) Of(string messageId)
    {
        if (!_messages.TryGetValue(messageId, out var m))
            _messages[messageId] = m = (new(StringComparer.Ordinal), new(StringComparer.Ordinal));
        return m;
    }
}
