using WecomBridge.Messaging;

namespace WecomBridge.Enrichment;

/// <summary>The WeCom event that caused a read: record name, id, source keys and times, copied into the snapshot.</summary>
internal sealed record SourceEvent(
    string Name, string EventId, string Corp, string App, string CorpId, DateTimeOffset OccurredAt, DateTimeOffset ReceivedAt)
{
    /// <summary>Deterministic: a redelivered source event gives the same snapshot id (contracts/README.md).</summary>
    public string SnapshotIdFor(string snapshotRecord) => SnapshotId(EventId, snapshotRecord);

    public static string SnapshotId(string sourceEventId, string snapshotRecord) =>
        EventIds.Of($"{sourceEventId}:{snapshotRecord}");
}
