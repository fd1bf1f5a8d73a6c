using WecomBridge.Contracts.Sending;
using WecomBridge.Sending.Status;

namespace WecomBridge.Sending.Dispatcher;

/// <summary>
/// A command that did not come from the send API (another producer on the queue, a hand-edited redelivery) may be
/// malformed: an unknown kind, its part missing, no corp or account. It fails without a call instead of faulting
/// in the middle of a send.
/// </summary>
internal static class SendCommandCheck
{
    /// <summary>Null when the command can be sent; else why not.</summary>
    public static string? Problem(SendRequested send) => send.Kind switch
    {
        SendKinds.CustomerTask when send.CustomerTask is null => "customerTask is missing",
        SendKinds.GroupTask when send.GroupTask is null => "groupTask is missing",
        SendKinds.MomentTask when send.MomentTask is null => "momentTask is missing",
        SendKinds.EmployeeMessage when send.EmployeeMessage is null => "employeeMessage is missing",
        SendKinds.EmployeeMessage when string.IsNullOrEmpty(send.App) => "app is missing",
        SendKinds.Template when send.Template is null => "template is missing",
        SendKinds.CustomerService when send.CustomerService is null => "customerService is missing",
        SendKinds.CustomerTask or SendKinds.GroupTask or SendKinds.MomentTask or SendKinds.EmployeeMessage
            => string.IsNullOrEmpty(send.Corp) ? "corp is missing" : null,
        SendKinds.Template or SendKinds.CustomerService => string.IsNullOrEmpty(send.Account) ? "account is missing" : null,
        _ => "unknown kind",
    };
}
