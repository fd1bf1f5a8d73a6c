namespace WecomBridge.Sending.Errors;

/// <summary>
/// The recent history of sends that ended failed or ambiguous, per corp (or account): counts per errcode and state in
/// minute buckets, first and last seen, the last few sends of each (ids and reasons only), and the recent ambiguous
/// sends. Shared by the instances (Redis) or in memory (embedded). Everything is forgotten after the retention, and
/// every list is capped, so the history's size does not grow with the number of failures.
/// </summary>
internal interface ISendErrorStore
{
    /// <summary>Records one finished send (failed or ambiguous) under <see cref="SendError.Scope"/>.</summary>
    Task RecordAsync(SendError error, SendErrorLimits limits);

    /// <summary>The groups of <paramref name="scope"/> with at least one send in the window (counts per minute bucket).</summary>
    Task<IReadOnlyList<SendErrorGroup>> ReadAsync(string scope, DateTimeOffset now, TimeSpan window, SendErrorLimits limits);

    /// <summary>The latest ambiguous sends of <paramref name="scope"/> within the retention, newest first, up to <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<SendErrorEntry>> AmbiguousAsync(string scope, DateTimeOffset now, int limit, SendErrorLimits limits);
}

/// <summary>How long the history keeps what it records, and how many sends it keeps per group and of the ambiguous ones.</summary>
internal readonly record struct SendErrorLimits(TimeSpan Retention, int RecentPerGroup, int MaxAmbiguous);

/// <summary>One finished send: <see cref="State"/> failed or ambiguous, its errcode (null when WeCom gave none).</summary>
internal sealed record SendError(string Scope, string State, int? ErrCode, SendErrorEntry Entry)
{
    /// <summary>The group's name in the store: state and errcode ("-" for none).</summary>
    public string Group => GroupOf(State, ErrCode);

    public static string GroupOf(string state, int? errCode) =>
        $"{state}:{errCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}";

    /// <summary>The scope of a corp's (wecom:corp) or an account's (oa:account) sends; names compare ignoring case.</summary>
    public static string ScopeOf(string? corp, string? account) =>
        account is not null ? "oa:" + account.ToLowerInvariant() : "wecom:" + (corp ?? "").ToLowerInvariant();
}

/// <summary>What is kept of one send: ids, kind, when, the reason (cut to <see cref="MaxReason"/>), never content or recipients.</summary>
internal sealed record SendErrorEntry(string MessageId, string Kind, string? Corp, string? App, string? Account, DateTimeOffset At,
    string Reason, DateTimeOffset? FirstCallAt)
{
    public const int MaxReason = 300;
}

/// <summary>One errcode and state of a scope: sends in the window, first and last seen in the retention, the latest sends.</summary>
internal sealed record SendErrorGroup(string State, int? ErrCode, int Count, DateTimeOffset FirstSeen, DateTimeOffset LastSeen,
    IReadOnlyList<SendErrorEntry> Recent);
