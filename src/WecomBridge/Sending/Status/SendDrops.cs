namespace WecomBridge.Sending.Status;

/// <summary>
/// Why a message is `dropped` (never sent): it reached the dispatcher after the request's notAfter, or the API
/// cancelled it while it was still accepted or deferred.
/// </summary>
public static class SendDrops
{
    public const string Expired = "expired";
    public const string Cancelled = "cancelled";

    /// <summary>The status and the command both carry the request's notAfter: the earlier one holds.</summary>
    public static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;

    /// <summary>Whether the send must be dropped instead of made at <paramref name="now"/>.</summary>
    public static bool IsExpired(SendStatus status, DateTimeOffset now) => status.NotAfter is { } notAfter && now > notAfter;
}
