using WecomBridge.Contracts.Contacts;

namespace WecomBridge.Callbacks.Parsing;

/// <summary>change_external_contact, one record per ChangeType (docs/wecom-protocol.md §3).</summary>
internal static class ExternalContactEvents
{
    public static object Map(CallbackXml x, in WeComSource s)
    {
        var changeType = x.Required("ChangeType");
        var userId = x.Required("UserID");
        var externalUserId = x.Required("ExternalUserID");
        return changeType switch
        {
            "add_external_contact" => new ExternalContactAdded(
                s.EventId, s.Corp, s.App, s.CorpId, s.OccurredAt, s.ReceivedAt,
                userId, externalUserId, x.Optional("State"), x.Optional("WelcomeCode")),
            "add_half_external_contact" => new ExternalContactHalfAdded(
                s.EventId, s.Corp, s.App, s.CorpId, s.OccurredAt, s.ReceivedAt,
                userId, externalUserId, x.Optional("State"), x.Optional("WelcomeCode")),
            "edit_external_contact" => new ExternalContactEdited(
                s.EventId, s.Corp, s.App, s.CorpId, s.OccurredAt, s.ReceivedAt, userId, externalUserId),
            "del_external_contact" => Deleted(x, s, userId, externalUserId),
            "del_follow_user" => new FollowUserDeleted(
                s.EventId, s.Corp, s.App, s.CorpId, s.OccurredAt, s.ReceivedAt, userId, externalUserId),
            "transfer_fail" => new ExternalContactTransferFailed(
                s.EventId, s.Corp, s.App, s.CorpId, s.OccurredAt, s.ReceivedAt,
                userId, externalUserId, x.Optional("FailReason")),
            "msg_audit_approved" => new ExternalContactChatArchiveApproved(
                s.EventId, s.Corp, s.App, s.CorpId, s.OccurredAt, s.ReceivedAt,
                userId, externalUserId, x.Optional("WelcomeCode")),
            _ => throw new UnmappedCallbackException("unknown ChangeType"),
        };
    }

    private static ExternalContactDeleted Deleted(CallbackXml x, in WeComSource s, string userId, string externalUserId)
    {
        var source = x.Optional("Source");
        return new ExternalContactDeleted(
            s.EventId, s.Corp, s.App, s.CorpId, s.OccurredAt, s.ReceivedAt,
            userId, externalUserId, source, source == "DELETE_BY_TRANSFER");
    }
}
