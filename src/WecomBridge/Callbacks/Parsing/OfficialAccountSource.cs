namespace WecomBridge.Callbacks.Parsing;

/// <summary>The fields every Official Account event record starts with.</summary>
internal readonly record struct OfficialAccountSource(
    string EventId, string Account, string AppId, string OriginalId, DateTimeOffset OccurredAt, DateTimeOffset ReceivedAt);
