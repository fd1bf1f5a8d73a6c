namespace WecomBridge.Contracts.Sending;

/// <summary>
/// Command from the send API to the dispatcher: send message MessageId once. Kind names the one part that is set:
/// `customer-task`, `group-task`, `moment-task` (Corp), `employee-message` (Corp and App), `template`,
/// `customer-service` (Account). Welcome messages travel as <see cref="WelcomeRequested"/> on their own priority queue.
/// NotAfter (optional): the dispatcher drops the send instead of making it after this time (<see cref="MessageDropped"/>).
/// </summary>
public sealed record SendRequested(
    string MessageId,
    string Kind,
    string? Corp,
    string? App,
    string? Account,
    DateTimeOffset RequestedAt,
    CustomerTask? CustomerTask = null,
    GroupTask? GroupTask = null,
    MomentTask? MomentTask = null,
    EmployeeMessage? EmployeeMessage = null,
    TemplateMessage? Template = null,
    CustomerServiceMessage? CustomerService = null,
    DateTimeOffset? NotAfter = null);
