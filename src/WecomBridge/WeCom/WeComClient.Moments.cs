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
}
