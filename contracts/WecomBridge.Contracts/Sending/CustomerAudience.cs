using System.Text.Json;

namespace WecomBridge.Contracts.Sending;

/// <summary>
/// The audience of a customer task: a saved segment of the contact pool (Segment, its id) and/or a segment filter
/// (Filter, the filter language of the pool's segments). The send API sends both for a saved segment: its filter as
/// it was when the request was accepted, so that editing the segment later does not change a task in flight. A
/// command with Segment alone is expanded with the segment's filter when the dispatcher reads it.
/// </summary>
public sealed record CustomerAudience(string? Segment, JsonElement? Filter);
