using Microsoft.Extensions.Options;
using WecomBridge.Contracts.Resync;
using WecomBridge.Messaging;
using WecomBridge.OfficialAccount;
using WecomBridge.RateLimits;
using WecomBridge.Sending.Limits;
using WecomBridge.WeCom;

namespace WecomBridge.Resync;

/// <summary>
/// One run: walks the cursors of its scope page by page, publishes a snapshot event per item, and saves progress
/// (and renews the lock) after every page. Each API call has the client's own retries.
/// </summary>
internal sealed partial class ResyncWalk(ResyncJob job, WeComClient wecom, OfficialAccountClient oa, WeComCredentials corps,
    OfficialAccountCredentials accounts, IOptions<WeComOptions> wecomOptions, IOptions<OfficialAccountOptions> oaOptions,
    IMessagePublisher publisher, IResyncStore store, IOptions<ResyncOptions> options, TimeProvider time,
    IRateLimiter limiter, ApiLimits limits)
{
    private readonly ResyncProgress _run = job.Run;
    private int _pages;
    private int _items;

    private int PageSize => options.Value.PageSize;

    public Task RunAsync(CancellationToken ct) => _run.Scope switch
    {
        ResyncScopes.Contacts => ContactsAsync(ct),
        ResyncScopes.GroupChats => GroupChatsAsync(ct),
        ResyncScopes.Tags => TagsAsync(ct),
        ResyncScopes.Followers => FollowersAsync(ct),
        _ => throw new InvalidOperationException("unknown scope " + _run.Scope),
    };

    public ResyncProgress Snapshot(string state, DateTimeOffset? finishedAt = null, string? error = null) =>
        _run with { State = state, Pages = _pages, Items = _items, FinishedAt = finishedAt, Error = error };

    public Task PublishFinishedAsync(ResyncProgress final)
    {
        var id = NewId();
        return publisher.PublishAsync(typeof(ResyncFinished), id, EventJson.Serialize(new ResyncFinished(id, final.Id, final.Scope,
            final.Corp, final.Account, final.State, final.Pages, final.Items, final.StartedAt, final.FinishedAt ?? time.GetUtcNow(), final.Error)),
            CancellationToken.None);
    }

    /// <summary>
    /// Waits for a permit of the corp's (or account's) bucket for this API, shared by every instance and by
    /// everything else that calls the same API (Dispatch:*:ApiCallsPerMinute or Dispatch:*:Apis:{api}).
    /// </summary>
    private Task PaceAsync(string api, CancellationToken ct) =>
        limiter.AcquireAsync(_run.Corp is { } corp ? limits.ForCorp(corp, api) : limits.ForAccount(_run.Account!, api), time, ct);

    private Task PageDoneAsync()
    {
        Interlocked.Increment(ref _pages);
        return store.SaveAsync(Snapshot(ResyncProgress.Running));
    }

    /// <summary>Publishes one item's snapshot (built with <paramref name="eventId"/>) and counts it.</summary>
    private async Task PublishAsync<T>(string eventId, T message, CancellationToken ct) where T : notnull
    {
        await publisher.PublishAsync(typeof(T), eventId, EventJson.Serialize(message), ct);
        Interlocked.Increment(ref _items);
    }

    private static string NewId() => Guid.NewGuid().ToString("N");

    /// <summary>Detail calls of one page, DetailConcurrency at a time.</summary>
    private Task ForEachAsync<T>(IEnumerable<T> items, CancellationToken ct, Func<T, CancellationToken, Task> body) =>
        Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = options.Value.DetailConcurrency, CancellationToken = ct },
            async (item, c) => await body(item, c));

    private string CorpId => wecomOptions.Value.Corps[_run.Corp!].CorpId;
    private string AppId => oaOptions.Value.Accounts[_run.Account!].AppId;
}
