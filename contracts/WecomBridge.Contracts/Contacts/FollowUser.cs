namespace WecomBridge.Contracts.Contacts;

/// <summary>
/// Part of <see cref="ExternalContactSnapshotPublished"/>: a member who has the contact (follow_user). CreatedAt is
/// when they became contacts; AddWay is WeCom's add_way code; OperUserId who added (the member or the customer).
/// </summary>
public sealed record FollowUser(
    string UserId,
    string? Remark,
    string? Description,
    DateTimeOffset CreatedAt,
    int AddWay,
    string? OperUserId,
    string? State,
    IReadOnlyList<ContactTag> Tags,
    IReadOnlyList<string> RemarkMobiles);
