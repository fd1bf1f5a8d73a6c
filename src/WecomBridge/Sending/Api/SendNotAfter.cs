using System.Globalization;
using WecomBridge.Sending.Status;

namespace WecomBridge.Sending.Api;

/// <summary>
/// The request's `notAfter`: an ISO 8601 date and time with its offset (`Z` or `+08:00`; a time without one would
/// depend on the server's zone), in the future and at most <see cref="MaxAhead"/> ahead (past that the status
/// itself may be gone). Not for welcomes: they have their own 20 s deadline.
/// </summary>
internal static class SendNotAfter
{
    public static readonly TimeSpan MaxAhead = TimeSpan.FromDays(30);
    private const int MaxLength = 40;

    private static readonly string[] Formats =
        ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK"];

    /// <summary>The parsed time, or null (absent or invalid: then an error is added under `notAfter`).</summary>
    public static DateTimeOffset? Check(FieldErrors errors, SendMessageRequest request, DateTimeOffset now)
    {
        if (request.NotAfter is not { } text) return null;
        if (request.Kind == SendKinds.Welcome)
        {
            errors.Add("notAfter", "is not used by kind welcome (a welcome code expires 20 s after its event).");
            return null;
        }
        if (text.Length > MaxLength || !HasOffset(text) || !DateTimeOffset.TryParseExact(text, Formats, CultureInfo.InvariantCulture,
                DateTimeStyles.None, out var notAfter))
        {
            errors.Add("notAfter", "must be an ISO 8601 date and time with an offset, e.g. 2026-12-24T18:00:00+08:00.");
            return null;
        }
        if (notAfter <= now) errors.Add("notAfter", "must be in the future.");
        else if (notAfter - now > MaxAhead) errors.Add("notAfter", $"must be at most {MaxAhead.TotalDays} days ahead.");
        else return notAfter;
        return null;
    }

    private static bool HasOffset(string text) => text.EndsWith('Z')
        || text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':' && char.IsAsciiDigit(text[^1]);
}
