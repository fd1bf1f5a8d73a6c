using System.Text.Json.Serialization;

namespace WecomBridge.WeCom.Models;

/// <summary>externalcontact/add_moment_task: an asynchronous job (poll get_moment_task_result with the jobid).</summary>
public sealed record MomentTaskRequest(TextContent? Text, IReadOnlyList<Attachment>? Attachments = null, MomentVisibleRange? VisibleRange = null);

public sealed record MomentVisibleRange(MomentSenders? SenderList = null, MomentCustomers? ExternalContactList = null);
public sealed record MomentSenders(IReadOnlyList<string>? UserList = null, IReadOnlyList<long>? DepartmentList = null);
public sealed record MomentCustomers(IReadOnlyList<string>? TagList = null);

public sealed record MomentJob([property: JsonPropertyName("jobid")] string JobId) : ApiResult;

/// <summary>Status 1 started, 2 running, 3 done (then Result says the moment id and what was invalid).</summary>
public sealed record MomentTaskResult(int Status, string? Type, MomentTaskOutcome? Result) : ApiResult;

public sealed record MomentTaskOutcome(
    [property: JsonPropertyName("errcode")] int ErrCode,
    string? MomentId,
    MomentSenders? InvalidSenderList,
    MomentCustomers? InvalidExternalContactList);

/// <summary>externalcontact/get_moment_list: start/end at most 30 days apart, limit ≤ 20.</summary>
public sealed record MomentListRequest(long StartTime, long EndTime, string? Creator, int? FilterType, string? Cursor, int Limit);

public sealed record MomentPage(List<MomentSummary>? MomentList, string? NextCursor) : ApiResult;

/// <summary>create_type 0: by the corp, 1: by a member; visible_type 0: some customers, 1: all.</summary>
public sealed record MomentSummary(string MomentId, string? Creator, long CreateTime, int CreateType, int VisibleType, TextContent? Text);

/// <summary>externalcontact/get_moment_task: which members were asked to post the moment, and who did.</summary>
public sealed record MomentTaskListRequest(string MomentId, string? Cursor, int Limit);

public sealed record MomentTaskPage(List<MomentMemberTask>? TaskList, string? NextCursor) : ApiResult;

/// <summary>publish_status 0: not posted yet, 1: posted.</summary>
public sealed record MomentMemberTask([property: JsonPropertyName("userid")] string UserId, int PublishStatus);

/// <summary>externalcontact/get_moment_comments: comments and likes one member's post received.</summary>
public sealed record MomentCommentsRequest(string MomentId, [property: JsonPropertyName("userid")] string UserId);

public sealed record MomentComments(List<MomentReaction>? CommentList, List<MomentReaction>? LikeList) : ApiResult;

public sealed record MomentReaction(
    [property: JsonPropertyName("external_userid")] string? ExternalUserId,
    [property: JsonPropertyName("userid")] string? UserId,
    long CreateTime);
