namespace WecomBridge.Pool.Activity;

/// <summary>
/// The kinds of interaction the bridge itself sees. A CRM reports kinds of its own (a short token: purchase, click, …).
/// </summary>
internal static class InteractionKinds
{
    public const string Added = "added", GroupJoin = "group_join";
    public const string Subscribed = "subscribed", Message = "message", MenuClick = "menu_click", MenuView = "menu_view", Scan = "scan";
}

/// <summary>A contact interacted at <c>At</c>: its last interaction becomes this one when newer.</summary>
internal sealed record ContactInteraction(string Corp, string ExternalUserId, DateTimeOffset At, string Kind) : PoolChange(At);

/// <summary>
/// An Official Account follower interacted at <c>At</c>. A message, click or scan only comes from a follower, so a
/// follower the pool has not seen yet is recorded as subscribed as of <c>At</c>.
/// </summary>
internal sealed record FollowerInteraction(string Account, string OpenId, DateTimeOffset At, string Kind) : PoolChange(At);

/// <summary>Applied, a repeat of an id applied before (nothing changed), or a contact/follower the pool does not know.</summary>
internal enum ReportStatus { Applied, Duplicate, Unknown }

/// <summary>The outcome of a reported interaction with the contact's (or follower's) activity afterwards.</summary>
internal sealed record ReportOutcome(ReportStatus Status, DateTimeOffset? LastInteractionAt, string? LastInteractionKind, string? Stage);

/// <summary>An event written in the transaction of the change that caused it, published after commit (the outbox).</summary>
internal sealed record OutboxEvent(string EventId, string Type, string Body, DateTimeOffset CreatedAt);
