namespace WecomBridge.Callbacks.Parsing;

/// <summary>
/// A decrypted callback turned into its contract record. <see cref="DedupeKey"/> is the same for every
/// delivery of one callback (wecom-facts.md §1) and prefixed with its channel and source;
/// <see cref="EventId"/> is derived from it and also carried inside <see cref="Event"/>.
/// </summary>
internal sealed record ParsedCallback(object Event, string EventId, string DedupeKey);
