namespace WecomBridge.Contracts.Moments;

/// <summary>
/// A customer moment (客户朋友圈) was found by the moments poller (there is no callback for moments):
/// published once per moment, with a summary of its member tasks and of the comments and likes at the
/// time it was read. CreateType 0: created by the corp, 1: by a member; VisibleType 0: some customers, 1: all.
/// </summary>
public sealed record CustomerMomentPublished(
    string EventId,
    string Corp,
    string CorpId,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReadAt,
    string MomentId,
    string? Creator,
    int CreateType,
    int VisibleType,
    string? Text,
    int MembersAsked,
    IReadOnlyList<string> PostedBy,
    int Comments,
    int Likes);
