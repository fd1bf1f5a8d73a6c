using WecomBridge.Contracts.Directory;

namespace WecomBridge.Callbacks.Parsing;

/// <summary>change_contact: members, departments and contact tags (docs/wecom-protocol.md §3).</summary>
internal static class DirectoryEvents
{
    public static object Map(CallbackXml x, in WeComSource s) => x.Required("ChangeType") switch
    {
        "create_user" => EmployeeEvents.Created(x, s),
        "update_user" => EmployeeEvents.Updated(x, s),
        "delete_user" => new EmployeeDeleted(s.EventId, s.Corp, s.App, s.CorpId, s.OccurredAt, s.ReceivedAt, x.Required("UserID")),
        "create_party" => new DepartmentCreated(
            s.EventId, s.Corp, s.App, s.CorpId, s.OccurredAt, s.ReceivedAt,
            x.RequiredLong("Id"), x.Optional("Name"), x.Long("ParentId"), x.Long("Order")),
        "update_party" => new DepartmentUpdated(
            s.EventId, s.Corp, s.App, s.CorpId, s.OccurredAt, s.ReceivedAt,
            x.RequiredLong("Id"), x["Name"], x.Long("ParentId")),
        "delete_party" => new DepartmentDeleted(s.EventId, s.Corp, s.App, s.CorpId, s.OccurredAt, s.ReceivedAt, x.RequiredLong("Id")),
        "update_tag" => new EmployeeTagUpdated(
            s.EventId, s.Corp, s.App, s.CorpId, s.OccurredAt, s.ReceivedAt,
            x.RequiredLong("TagId"),
            x.CommaList("AddUserItems") ?? [],
            x.CommaList("DelUserItems") ?? [],
            x.LongList("AddPartyItems") ?? [],
            x.LongList("DelPartyItems") ?? []),
        _ => throw new UnmappedCallbackException("unknown ChangeType"),
    };
}
