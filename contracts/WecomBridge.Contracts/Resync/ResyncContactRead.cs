namespace WecomBridge.Contracts.Resync;

/// <summary>
/// A re-sync read one (customer, member) pair of a corp (externalcontact/batch/get_by_user). The current state,
/// not a change: a CRM upserts it.
/// </summary>
public sealed record ResyncContactRead(
    string EventId,
    string ResyncId,
    string Corp,
    string CorpId,
    DateTimeOffset ReadAt,
    string ExternalUserId,
    string? Name,
    int Type,
    string? UnionId,
    string FollowUserId,
    string? Remark,
    string? Description,
    long CreateTime,
    int AddWay,
    string? State,
    IReadOnlyList<string> TagIds);
