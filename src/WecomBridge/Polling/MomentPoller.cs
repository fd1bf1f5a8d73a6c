using Microsoft.Extensions.Options;
using WecomBridge.Contracts.Moments;
using WecomBridge.Messaging;
using WecomBridge.WeCom;
using WecomBridge.WeCom.Models;

namespace WecomBridge.Polling;

/// <summary>
/// Customer moments have no callback: every Interval, for each corp whose lease this instance holds,
/// list the moments since the last watermark (minus an overlap), and publish each new one once as
/// <see cref="CustomerMomentPublished"/> with its task and comment summary. The watermark moves only
/// when the whole window was published, so a failure is retried at the next poll.
/// </summary>
internal sealed partial class MomentPoller(
    IServiceProvider services, IMomentState state, IMessagePublisher publisher, WeComCredentials credentials,
    IOptions<WeComOptions> wecom, IOptionsMonitor<MomentPollingOptions> options, TimeProvider time, ILogger<MomentPoller> logger)
    : BackgroundService
{
    private const int MaxMembersForComments = 50; // comment counts are read for at most this many posting members
    private readonly string _owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var o = options.CurrentValue;
            foreach (var corp in wecom.Value.Corps.Keys)
            {
                try
                {
                    if (await state.TryLeaseAsync(corp, _owner, o.Interval * 3)) await PollAsync(corp, o, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    Log.PollFailed(logger, corp, e.GetType().Name, (e as ApiException)?.ErrCode);
                }
            }
            await Task.Delay(o.Interval, time, stoppingToken);
        }
    }

    internal async Task PollAsync(string corp, MomentPollingOptions o, CancellationToken ct)
    {
        var client = services.GetRequiredService<WeComClient>();
        var who = credentials.Contact(corp);
        var now = time.GetUtcNow();
        var oldest = now - TimeSpan.FromDays(30) + TimeSpan.FromMinutes(1);
        var start = (await state.GetWatermarkAsync(corp) is { } watermark ? watermark - o.Overlap : now - o.InitialLookback);
        if (start < oldest) start = oldest;
        var window = new MomentListRequest(start.ToUnixTimeSeconds(), now.ToUnixTimeSeconds(), null, null, null, 20);
        var published = 0;
        await foreach (var moment in client.GetMomentListAsync(who, window, ct))
        {
            if (await state.IsPublishedAsync(corp, moment.MomentId)) continue;
            var message = await ReadAsync(client, who, corp, moment, ct);
            await publisher.PublishAsync(typeof(CustomerMomentPublished), message.EventId, EventJson.Serialize(message), ct);
            await state.MarkPublishedAsync(corp, moment.MomentId);
            published++;
        }
        await state.SetWatermarkAsync(corp, now);
        if (published > 0) Log.Published(logger, corp, published);
    }

    private async Task<CustomerMomentPublished> ReadAsync(
        WeComClient client, WeComCredential who, string corp, MomentSummary moment, CancellationToken ct)
    {
        var tasks = new List<MomentMemberTask>();
        await foreach (var task in client.GetMomentTasksAsync(who, moment.MomentId, ct)) tasks.Add(task);
        var postedBy = tasks.Where(t => t.PublishStatus == 1).Select(t => t.UserId).ToList();
        int comments = 0, likes = 0;
        foreach (var member in postedBy.Take(MaxMembersForComments))
        {
            var reactions = await client.GetMomentCommentsAsync(who, moment.MomentId, member, ct);
            comments += reactions.CommentList?.Count ?? 0;
            likes += reactions.LikeList?.Count ?? 0;
        }
        return new CustomerMomentPublished(
            EventIds.Of($"moment:{corp}:{moment.MomentId}"), corp, who.CorpId,
            DateTimeOffset.FromUnixTimeSeconds(moment.CreateTime), time.GetUtcNow(), moment.MomentId, moment.Creator,
            moment.CreateType, moment.VisibleType, moment.Text?.Content, tasks.Count, postedBy, comments, likes);
    }

    private static partial class Log
    {
        [LoggerMessage(60, LogLevel.Warning, "Polling the moments of {Corp} failed ({Error}, errcode {ErrCode}); retried at the next poll")]
        public static partial void PollFailed(ILogger logger, string corp, string error, int? errCode);

        [LoggerMessage(61, LogLevel.Information, "Published {Count} new customer moments of {Corp}")]
        public static partial void Published(ILogger logger, string corp, int count);
    }
}
