using WecomBridge.Messaging;

namespace WecomBridge.Enrichment;

/// <summary>Snapshots go out like every event: raw JSON on their `wecombridge.*` exchange, message_id = event id.</summary>
internal static class SnapshotPublisher
{
    public static async Task PublishSnapshotAsync<T>(this IMessagePublisher events, T snapshot, string eventId, string sourceEvent,
        string sourceEventId, ILogger logger, CancellationToken ct) where T : notnull
    {
        await events.PublishAsync(typeof(T), eventId, EventJson.Serialize(snapshot), ct);
        EnrichmentLog.Published(logger, typeof(T).Name, eventId, sourceEvent, sourceEventId);
    }
}
