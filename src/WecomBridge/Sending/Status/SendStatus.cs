using System.Text.Json.Serialization;

namespace WecomBridge.Sending.Status;

/// <summary>
/// What happened to one message id, shared by all instances. State: `accepted` (queued), `deferred` (waiting until
/// DeferredUntil), `sending` (an instance holds it until LeaseUntil), `sent`, `failed` (ErrCode and Reason) or
/// `ambiguous` (the call may have reached WeCom; it is not repeated) or `dropped` (never sent: Reason `expired`
/// past NotAfter, or `cancelled` through the API). ApiKey is the name of the key that asked (null for welcome
/// messages triggered by events). Owner is the claim token of the attempt holding a `sending`
/// status (only it may save over it); FirstCallAt is when the earliest call whose outcome is not known started (set
/// just before its HTTP request leaves, cleared when the attempt learns the call was not done): without it an
/// abandoned lease is simply sent, with it the message may have reached WeCom.
/// </summary>
public sealed record SendStatus(
    string MessageId,
    string Kind,
    string? Corp,
    string? App,
    string? Account,
    string? ApiKey,
    string State,
    DateTimeOffset AcceptedAt,
    DateTimeOffset UpdatedAt,
    int Attempts = 0,
    string? MsgId = null,
    int? ErrCode = null,
    string? Reason = null,
    DateTimeOffset? DeferredUntil = null,
    IReadOnlyList<string>? FailedRecipients = null,
    IReadOnlyList<string>? SkippedRecipients = null,
    DateTimeOffset? LeaseUntil = null,
    DateTimeOffset? NotAfter = null,
    [property: JsonIgnore] string? Owner = null,
    [property: JsonIgnore] DateTimeOffset? FirstCallAt = null)
{
    public bool IsFinished => State is SendStates.Sent or SendStates.Failed or SendStates.Ambiguous or SendStates.Dropped;
}

public static class SendStates
{
    public const string Accepted = "accepted";
    public const string Deferred = "deferred";
    public const string Sending = "sending";
    public const string Sent = "sent";
    public const string Failed = "failed";
    public const string Ambiguous = "ambiguous";
    public const string Dropped = "dropped";
}

/// <summary>The send kinds of POST /api/v1/messages.</summary>
public static class SendKinds
{
    public const string Welcome = "welcome";
    public const string CustomerTask = "customer-task";
    public const string GroupTask = "group-task";
    public const string MomentTask = "moment-task";
    public const string EmployeeMessage = "employee-message";
    public const string Template = "template";
    public const string CustomerService = "customer-service";

    public static readonly IReadOnlyList<string> All = [Welcome, CustomerTask, GroupTask, MomentTask, EmployeeMessage, Template, CustomerService];
}
