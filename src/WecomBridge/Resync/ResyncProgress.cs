namespace WecomBridge.Resync;

/// <summary>A run as GET /api/v1/resync/{id} shows it. State: running, completed or failed.</summary>
public sealed record ResyncProgress(
    string Id,
    string Scope,
    string? Corp,
    string? Account,
    string State,
    int Pages,
    int Items,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    string? Error)
{
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";

    /// <summary>One run at a time per corp/account and scope.</summary>
    internal string LockKey => Corp is not null ? $"wecom:{Corp}:{Scope}" : $"oa:{Account}:{Scope}";
}

/// <summary>A run to do: its progress and, for contacts, the members to read.</summary>
internal sealed record ResyncJob(ResyncProgress Run, IReadOnlyList<string> UserIds);
