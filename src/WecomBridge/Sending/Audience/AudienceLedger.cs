namespace WecomBridge.Sending.Audience;

/// <summary>
/// What the expansion of a customer task's audience has done, shared by all instances: which task each contact went
/// to (assigned once, so that an expansion run again after a redelivery or a restart never puts a contact in a second
/// task) and the progress fields (<see cref="AudienceProgress"/>). Both expire with the message's status. Redis
/// (atomic Lua) or in memory.
/// </summary>
internal interface IAudienceLedger
{
    /// <summary>
    /// Assigns each contact to the task given with it unless it was assigned before; answers, in order, the task each
    /// contact is assigned to now (the one given, or the earlier one).
    /// </summary>
    Task<IReadOnlyList<string>> AssignAsync(string messageId, IReadOnlyList<KeyValuePair<string, string>> contactTasks);

    /// <summary>Sets progress fields (a later value replaces an earlier one).</summary>
    Task SetAsync(string messageId, IReadOnlyList<KeyValuePair<string, string>> fields);

    /// <summary>Every progress field of the message; empty when it has no audience (or it expired).</summary>
    Task<IReadOnlyDictionary<string, string>> ReadAsync(string messageId);
}
