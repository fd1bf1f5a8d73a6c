using WecomBridge.Sending.Audience;

namespace WecomBridge.Sending.Status;

/// <summary>GET /api/v1/messages/{id}: what happened to the message so far (<see cref="SendStates"/>).</summary>
public sealed record MessageStatus(
    string MessageId,
    string Status,
    string Kind,
    string? Corp,
    string? App,
    string? Account,
    int Attempts,
    string? MsgId,
    int? ErrCode,
    string? Reason,
    DateTimeOffset? DeferredUntil,
    IReadOnlyList<string> FailedRecipients,
    IReadOnlyList<string> SkippedRecipients,
    DateTimeOffset AcceptedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? NotAfter)
{
    /// <summary>A customer task with an audience: its contacts by what became of them (null for any other message).</summary>
    public AudienceProgress? Audience { get; init; }

    internal static MessageStatus From(SendStatus s) => new(s.MessageId, s.State, s.Kind, s.Corp, s.App, s.Account, s.Attempts,
        s.MsgId, s.ErrCode, s.Reason, s.DeferredUntil, s.FailedRecipients ?? [], s.SkippedRecipients ?? [], s.AcceptedAt, s.UpdatedAt,
        s.NotAfter);
}
