namespace WecomBridge.Callbacks.Parsing;

/// <summary>The fields every WeCom event record starts with.</summary>
internal readonly record struct WeComSource(
    string EventId, string Corp, string App, string CorpId, DateTimeOffset OccurredAt, DateTimeOffset ReceivedAt);
