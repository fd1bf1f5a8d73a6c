namespace WecomBridge.Callbacks.Parsing;

/// <summary>
/// A signed callback turned into its contract record (or UnrecognizedCallbackReceived). <see cref="DedupeKey"/> is the
/// same for every delivery of one callback, and prefixed with its channel and corp or account;
/// <see cref="EventId"/> is derived from it and also carried inside <see cref="Event"/>.
/// </summary>
internal sealed record ParsedCallback(object Event, string EventId, string DedupeKey);
