using Microsoft.Extensions.Options;
using WecomBridge.Journeys.Runtime;
using WecomBridge.Pool.Segments;
using WecomBridge.WeCom;

namespace WecomBridge.Journeys.Triggers;

/// <summary>
/// segmentEntered: every Journeys:SegmentPassInterval, each active segmentEntered journey of each configured corp reads
/// its saved segment (the filter as it is now) and enrols the contacts in it. The source is the segment, so a contact
/// is enrolled once per journey: later passes, other dispatchers and a contact that leaves and comes back change
/// nothing. Contacts seen by this process are skipped without asking the store again.
/// </summary>
internal sealed partial class JourneySegmentPass(
    IJourneyDefinitionStore definitions, ISegmentStore segments, JourneyEnroller enroller, IOptionsMonitor<WeComOptions> wecom,
    IOptionsMonitor<JourneyRuntimeOptions> options, TimeProvider time, ILogger<JourneySegmentPass> logger) : BackgroundService
{
    private const int Page = 500;
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.CurrentValue.SegmentPassInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.Failed(logger, e.GetType().Name); // the next round tries again
            }
        }
    }

    /// <summary>One pass over every corp; how many contacts it enrolled.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var enrolled = 0;
        foreach (var corp in wecom.CurrentValue.Corps.Keys)
            foreach (var journey in await definitions.ActiveByTriggerAsync(corp, JourneyTriggerKinds.SegmentEntered, ct))
                enrolled += await EnrolAsync(journey, ct);
        return enrolled;
    }

    private async Task<int> EnrolAsync(JourneyDefinition journey, CancellationToken ct)
    {
        if (journey.Trigger.SegmentId is not { } id || await segments.GetSegmentAsync(journey.Corp, id, ct) is not { } segment) return 0;
        if (SegmentFilterParser.Parse(segment.Filter, "filter", []) is not { } filter) return 0;
        var (enrolled, source, query) = (0, $"segment:{id:N}", new SegmentQuery(journey.Corp, filter, time.GetUtcNow()));
        string? after = null;
        do
        {
            var page = await segments.PageAsync(query, Page, after, ct);
            foreach (var contact in page)
            {
                var key = $"{journey.Corp}/{journey.Id}/{id:N}/{contact.ExternalUserId}";
                lock (_seen) if (_seen.Contains(key)) continue;
                var member = contact.Relations.OrderBy(r => r.AddedAt).FirstOrDefault()?.UserId;
                var (outcome, _) = await enroller.EnrolAsync(journey, contact.ExternalUserId, member, source, ct);
                if (outcome == EnrolOutcome.Enrolled) enrolled++;
                // A contact running an enrolment of another source is asked again next pass: it may have ended by then.
                if (outcome != EnrolOutcome.AlreadyRunning) lock (_seen) _seen.Add(key);
            }
            after = page.Count == Page ? page[^1].ExternalUserId : null;
        }
        while (after is not null);
        if (enrolled > 0) Log.Passed(logger, journey.Corp, journey.Id, enrolled);
        return enrolled;
    }

    private static partial class Log
    {
        [LoggerMessage(1924, LogLevel.Information, "Journey segment pass: corp {Corp} journey {JourneyId}, {Count} contacts enrolled")]
        public static partial void Passed(ILogger logger, string corp, string journeyId, int count);

        [LoggerMessage(1925, LogLevel.Warning, "Journey segment pass failed ({Error}); the next round tries again")]
        public static partial void Failed(ILogger logger, string error);
    }
}
