namespace WecomBridge.Contracts.Contacts;

/// <summary>
/// The contact as externalcontact/get showed it (every page of follow users), read after an
/// ExternalContactAdded, ExternalContactHalfAdded or ExternalContactEdited. SourceEvent names that record,
/// SourceEventId is its eventId; OccurredAt and ReceivedAt are copied from it; ReadAt is when the API was read.
/// </summary>
public sealed record ExternalContactSnapshotPublished(
    string EventId,
    string Corp,
    string App,
    string CorpId,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    DateTimeOffset ReadAt,
    string SourceEvent,
    string SourceEventId,
    string UserId,
    string ExternalUserId,
    ContactProfile Contact,
    IReadOnlyList<FollowUser> FollowUsers);
