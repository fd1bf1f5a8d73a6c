using WecomBridge.Contracts.Directory;

namespace WecomBridge.Callbacks.Parsing;

/// <summary>
/// change_contact create_user / update_user. Every member field is optional: null when absent (unchanged
/// or not visible to the app), an empty string or list when WeCom sent it empty (cleared).
/// </summary>
internal static class EmployeeEvents
{
    public static EmployeeCreated Created(CallbackXml x, in WeComSource s) => new(
        s.EventId, s.Corp, s.App, s.CorpId, s.OccurredAt, s.ReceivedAt,
        x.Required("UserID"), x["Name"], x.LongList("Department"), x.Long("MainDepartment"),
        x.IntList("IsLeaderInDept"), x.CommaList("DirectLeader"), x["Position"], x["Mobile"],
        x.Int("Gender"), x["Email"], x["BizMail"], x.Int("Status"), x["Avatar"],
        x["Alias"], x["Telephone"], x["Address"]);

    public static EmployeeUpdated Updated(CallbackXml x, in WeComSource s) => new(
        s.EventId, s.Corp, s.App, s.CorpId, s.OccurredAt, s.ReceivedAt,
        x.Required("UserID"), x["NewUserID"], x["Name"], x.LongList("Department"), x.Long("MainDepartment"),
        x.IntList("IsLeaderInDept"), x.CommaList("DirectLeader"), x["Position"], x["Mobile"],
        x.Int("Gender"), x["Email"], x["BizMail"], x.Int("Status"), x["Avatar"],
        x["Alias"], x["Telephone"], x["Address"]);
}
