namespace WecomBridge.Polling;

/// <summary>
/// What the moments poller keeps per corp, shared by all instances: a lease (one poller at a time across
/// the cluster), the watermark (where the last poll ended) and the moments already published.
/// </summary>
internal interface IMomentState
{
    /// <summary>Takes or renews the corp's lease for <paramref name="owner"/>; false when another instance holds it.</summary>
    Task<bool> TryLeaseAsync(string corp, string owner, TimeSpan lease);

    Task<DateTimeOffset?> GetWatermarkAsync(string corp);
    Task SetWatermarkAsync(string corp, DateTimeOffset watermark);

    Task<bool> IsPublishedAsync(string corp, string momentId);

    /// <summary>Marked after the event is on the broker, so a failed publish is retried at the next poll.</summary>
    Task MarkPublishedAsync(string corp, string momentId);
}
