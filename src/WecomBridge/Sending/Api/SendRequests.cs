namespace WecomBridge.Sending.Api;

// The body of POST /api/v1/messages as it arrives: every field nullable, so that a missing field is a validation
// error with its JSON path instead of a binding failure. SendValidation checks it; SendCommands maps it to the contracts.

/// <summary>
/// POST /api/v1/messages: the kind, where it is sent from, and exactly the one part that kind names; NotAfter
/// (optional, ISO 8601 with an offset): the dispatcher drops the send instead of making it after this time.
/// </summary>
public sealed record SendMessageRequest(
    string? Kind,
    string? Corp,
    string? App,
    string? Account,
    WelcomeRequest? Welcome,
    CustomerTaskRequest? CustomerTask,
    GroupTaskRequest? GroupTask,
    MomentTaskRequest? MomentTask,
    EmployeeMessageRequest? EmployeeMessage,
    TemplateRequest? Template,
    CustomerServiceRequest? CustomerService,
    string? NotAfter = null);

public sealed record AttachmentRequest(
    string? Type, string? MediaId, string? PicUrl, string? Title, string? Url, string? Description, string? AppId, string? Page);

public sealed record WelcomeRequest(string? WelcomeCode, string? Text, List<AttachmentRequest?>? Attachments);

/// <summary>Audience (optional): the contacts of a saved segment or a filter, instead of ExternalUserIds or TagFilter.</summary>
public sealed record CustomerTaskRequest(
    string? Sender, List<string?>? ExternalUserIds, List<List<string?>?>? TagFilter, bool? AllowSelect,
    string? Text, List<AttachmentRequest?>? Attachments, AudienceRequest? Audience = null);

/// <summary>A saved segment of the corp's pool (Segment: its id) or a segment filter (Filter): one of them.</summary>
public sealed record AudienceRequest(string? Segment, System.Text.Json.JsonElement? Filter);

public sealed record GroupTaskRequest(string? Sender, List<string?>? ChatIds, string? Text, List<AttachmentRequest?>? Attachments);

public sealed record MomentTaskRequest(
    string? Text, List<AttachmentRequest?>? Attachments, List<string?>? SenderUserIds, List<long?>? SenderDepartmentIds,
    List<string?>? CustomerTagIds);

public sealed record EmployeeMessageRequest(
    List<string?>? ToUsers, List<long?>? ToParties, List<long?>? ToTags, bool? ToAll, string? MsgType, string? Content,
    bool? Safe, int? DuplicateCheckSeconds);

public sealed record TemplateRequest(
    string? OpenId, string? TemplateId, Dictionary<string, string?>? Data, string? Url, string? MiniprogramAppId,
    string? MiniprogramPage);

public sealed record CustomerServiceRequest(string? OpenId, string? MsgType, string? Text, string? MediaId, string? KfAccount);

/// <summary>202 to POST /api/v1/messages: follow the message at Location (GET /api/v1/messages/{messageId}).</summary>
public sealed record MessageAccepted(string MessageId, string Status, string Kind);
