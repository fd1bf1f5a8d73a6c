using WecomBridge.Contracts.Directory;

namespace WecomBridge.Callbacks.Parsing;

/// <summary>change_contact create_user / update_user: every member field is optional (changed or visible only).</summary>
internal static class EmployeeEvents
{
    public static EmployeeCreated Created(CallbackXml x, in WeComSource s) => new(
        s.EventId, s.Corp, s.App, s.CorpId, s.OccurredAt, s.ReceivedAt,
        x.Required("UserID"), x.Optional("Name"), x.LongList("Department"), x.Long("MainDepartment"),
        x.IntList("IsLeaderInDept"), x.CommaList("DirectLeader"), x.Optional("Position"), x.Optional("Mobile"),
        x.Int("Gender"), x.Optional("Email"), x.Optional("BizMail"), x.Int("Status"), x.Optional("Avatar"),
        x.Optional("Alias"), x.Optional("Telephone"), x.Optional("Address"));

    public static EmployeeUpdated Updated(CallbackXml x, in WeComSource s) => new(
        s.EventId, s.Corp, s.App, s.CorpId, s.OccurredAt, s.ReceivedAt,
        x.Required("UserID"), x.Optional("NewUserID"), x.Optional("Name"), x.LongList("Department"), x.Long("MainDepartment"),
        x.IntList("IsLeaderInDept"), x.CommaList("DirectLeader"), x.Optional("Position"), x.Optional("Mobile"),
        x.Int("Gender"), x.Optional("Email"), x.Optional("BizMail"), x.Int("Status"), x.Optional("Avatar"),
        x.Optional("Alias"), x.Optional("Telephone"), x.Optional("Address"));
}
