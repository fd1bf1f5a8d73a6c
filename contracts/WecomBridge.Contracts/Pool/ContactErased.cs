namespace WecomBridge.Contracts.Pool;

/// <summary>
/// An operator erased a person from the bridge's contact pool (DELETE /api/v1/pool/…): a corp's external contact
/// (Subject "contact": Corp and ExternalUserId) or an Official Account's follower (Subject "follower": Account and
/// OpenId). Ids only. A CRM that keeps the person should erase them too. ErasedAt is the erasure's time: pool events
/// about the person older than it are ignored, newer ones (a new add) bring them back. A repeated request publishes
/// it again.
/// </summary>
public sealed record ContactErased(
    string EventId,
    string Subject,
    string? Corp,
    string? ExternalUserId,
    string? Account,
    string? OpenId,
    DateTimeOffset ErasedAt);
