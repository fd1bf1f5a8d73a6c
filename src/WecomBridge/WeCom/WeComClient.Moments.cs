using WecomBridge.WeCom.Models;

namespace WecomBridge.WeCom;

internal sealed partial class WeComClient
{
    /// <summary>externalcontact/add_moment_task: starts a moment job (not repeated when its outcome is unknown).</summary>
    public async Task<string> AddMomentTaskAsync(WeComCredential who, MomentTaskRequest request, CancellationToken ct = default) =>
        (await PostAsync(who, "externalcontact/add_moment_task", request, Json.MomentTaskRequest, Json.MomentJob, creates: true, ct)).JobId;

    /// <summary>externalcontact/get_moment_task_result (GET, as WxJava, silenceper and zsmhub call it).</summary>
    public Task<MomentTaskResult> GetMomentTaskResultAsync(WeComCredential who, string jobId, CancellationToken ct = default) =>
        GetAsync(who, "externalcontact/get_moment_task_result", ApiTransport.Query(("jobid", jobId)), Json.MomentTaskResult, ct);

    /// <summary>externalcontact/get_moment_list: one page (≤ 30 days, limit ≤ 20).</summary>
    public Task<MomentPage> GetMomentListPageAsync(WeComCredential who, MomentListRequest request, CancellationToken ct = default) =>
        PostAsync(who, "externalcontact/get_moment_list", request, Json.MomentListRequest, Json.MomentPage, creates: false, ct);

    /// <summary>Every moment in the window, page by page.</summary>
    public IAsyncEnumerable<MomentSummary> GetMomentListAsync(WeComCredential who, MomentListRequest request, CancellationToken ct = default) =>
        CursorPages.ReadAllAsync((cursor, c) => GetMomentListPageAsync(who, request with { Cursor = cursor }, c),
            page => page.MomentList, page => page.NextCursor, ct);

    /// <summary>externalcontact/get_moment_task: one page of the members asked to post a moment (limit ≤ 1000).</summary>
    public Task<MomentTaskPage> GetMomentTaskPageAsync(WeComCredential who, MomentTaskListRequest request, CancellationToken ct = default) =>
        PostAsync(who, "externalcontact/get_moment_task", request, Json.MomentTaskListRequest, Json.MomentTaskPage, creates: false, ct);

    /// <summary>Every member task of a moment, page by page.</summary>
    public IAsyncEnumerable<MomentMemberTask> GetMomentTasksAsync(WeComCredential who, string momentId, CancellationToken ct = default) =>
        CursorPages.ReadAllAsync((cursor, c) => GetMomentTaskPageAsync(who, new MomentTaskListRequest(momentId, cursor, 1000), c),
            page => page.TaskList, page => page.NextCursor, ct);

    /// <summary>externalcontact/get_moment_comments: the comments and likes on one member's post of a moment.</summary>
    public Task<MomentComments> GetMomentCommentsAsync(WeComCredential who, string momentId, string userId, CancellationToken ct = default) =>
        PostAsync(who, "externalcontact/get_moment_comments", new MomentCommentsRequest(momentId, userId),
            Json.MomentCommentsRequest, Json.MomentComments, creates: false, ct);
}
