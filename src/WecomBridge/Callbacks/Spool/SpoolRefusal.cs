using System.Text.RegularExpressions;
using RabbitMQ.Client.Exceptions;

namespace WecomBridge.Callbacks.Spool;

/// <summary>
/// Tells a permanent refusal of one event (it will never be taken: quarantine it) from a broker that is away or
/// busy (retry later). The broker closes the channel on a refusal, which fails every publish in flight on that
/// channel with the same reason: a refusal counts as this event's own only when the reason names this event's
/// exchange, or a size limit that this event's body exceeds. Anything else is transient.
/// </summary>
internal static partial class SpoolRefusal
{
    /// <summary>The reason to quarantine <paramref name="e"/>'s event, or null when it is worth retrying.</summary>
    public static string? Permanent(Exception e, string exchange, int bodyBytes)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is not OperationInterruptedException { ShutdownReason: { } reason }) continue;
            if (reason.ReplyCode is not (403 or 406)) return null; // 320 connection forced, 541 internal error, …: transient
            var text = reason.ReplyText ?? "";
            if (text.Contains($"exchange '{exchange}'", StringComparison.Ordinal))
                return Describe(reason.ReplyCode, text);
            if (TooLarge().Match(text) is { Success: true } m && long.TryParse(m.Groups[1].Value, out var max) && bodyBytes > max)
                return Describe(reason.ReplyCode, text);
            return null;
        }
        return null;
    }

    public const string UnknownType = "the stored type no longer resolves to an event contract";

    // The broker's reply text names the exchange and the vhost, never message content.
    private static string Describe(ushort code, string text) => $"refused by the broker ({code}): " + (text.Length > 300 ? text[..300] : text);

    [GeneratedRegex(@"larger than configured max size (\d+)")]
    private static partial Regex TooLarge();
}
