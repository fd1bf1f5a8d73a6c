using System.Globalization;
using WecomBridge.Sending.Status;

namespace WecomBridge.Sending.Audience;

/// <summary>
/// GET /api/v1/messages/{id} of a customer task with an audience: contacts by what became of them. Matched: in the
/// segment; Suppressed: on the suppression list (for every member who follows them, or the one sender); Unreachable:
/// followed by no member (or not by the sender given); Capped: over the customer cap when their task went; then the
/// contacts in tasks: Pending (queued), Deferred (waiting: quiet hours, a rate limit, a pause or a retry), Sent,
/// Failed (their task failed, or WeCom listed them as failed), Unknown (their task's outcome is ambiguous), Dropped
/// (their task was cancelled or expired). Tasks: the per-member tasks queued so far; Pages: pages expanded so far.
/// </summary>
public sealed record AudienceProgress(
    long Matched, long Suppressed, long Unreachable, long Capped, long Pending, long Deferred, long Sent, long Failed, long Unknown,
    long Dropped, int Tasks, int Pages)
{
    internal const string CursorField = "cursor";

    internal static KeyValuePair<string, string> Page(int page, int matched, int suppressed, int unreachable) =>
        new($"p:{page}", Join(matched, suppressed, unreachable));

    internal static KeyValuePair<string, string> TaskSize(string task, int size) => new($"s:{task}", Number(size));

    /// <summary>A task's state and its contacts left out (suppressed, capped) or listed as failed by WeCom.</summary>
    internal static KeyValuePair<string, string> TaskOutcome(SendStatus task)
    {
        var skipped = task.SkippedRecipients ?? [];
        var suppressed = skipped.Count(s => s.EndsWith(":suppressed", StringComparison.Ordinal));
        var capped = skipped.Count(s => s.EndsWith(":capped", StringComparison.Ordinal));
        return new($"c:{task.MessageId}", $"{task.State},{Join(suppressed, capped, task.FailedRecipients?.Count ?? 0)}");
    }

    internal static async Task<AudienceProgress?> ReadAsync(IAudienceLedger ledger, string messageId)
    {
        var fields = await ledger.ReadAsync(messageId);
        return fields.Count == 0 ? null : From(fields);
    }

    internal static AudienceProgress From(IReadOnlyDictionary<string, string> fields)
    {
        long matched = 0, suppressed = 0, unreachable = 0, capped = 0, pending = 0, deferred = 0, sent = 0, failed = 0, unknown = 0,
            dropped = 0;
        int tasks = 0, pages = 0;
        foreach (var (name, value) in fields)
        {
            if (name.StartsWith("p:", StringComparison.Ordinal) && Numbers(value) is [var m, var s, var u])
                (pages, matched, suppressed, unreachable) = (pages + 1, matched + m, suppressed + s, unreachable + u);
            if (!name.StartsWith("s:", StringComparison.Ordinal) || Numbers(value) is not [var size]) continue;
            tasks++;
            var outcome = fields.GetValueOrDefault("c:" + name[2..])?.Split(',', 2);
            var (state, skips) = outcome is [var st, var rest] && Numbers(rest) is [var ts, var tc, var tf] ? (st, (ts, tc, tf)) : ("", (0, 0, 0));
            suppressed += skips.Item1;
            capped += skips.Item2;
            var left = Math.Max(0, size - skips.Item1 - skips.Item2);
            switch (state)
            {
                case SendStates.Sent: (sent, failed) = (sent + Math.Max(0, left - skips.Item3), failed + Math.Min(left, skips.Item3)); break;
                case SendStates.Deferred: deferred += left; break;
                case SendStates.Failed: failed += left; break;
                case SendStates.Ambiguous: unknown += left; break;
                case SendStates.Dropped: dropped += left; break;
                default: pending += left; break;
            }
        }
        return new(matched, suppressed, unreachable, capped, pending, deferred, sent, failed, unknown, dropped, tasks, pages);
    }

    private static string Join(params int[] values) => string.Join(',', values.Select(Number));

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static int[]? Numbers(string value)
    {
        var parts = value.Split(',');
        var numbers = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i])) return null;
        return numbers;
    }
}
