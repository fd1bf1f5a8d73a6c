using System.Globalization;

namespace WecomBridge.Pool.Activity;

/// <summary>
/// The body of POST …/interactions: `kind` a short token (lowercase letters, digits, `_-.`, starting with a letter),
/// `at` an ISO 8601 time not in the future (a little clock skew allowed), `id` optional (1–128 characters of ASCII
/// letters, digits and `_-.:@`). Strings as sent, so that each bad field is named in the 400.
/// </summary>
public sealed record InteractionRequest(string? Kind, string? At, string? Id)
{
    public const int KindLength = 32, IdLength = 128, TimeLength = 40;
    /// <summary>A CRM's clock may run ahead a little; further ahead is a mistake that would pin the contact active.</summary>
    public static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(5);
    /// <summary>Older than any WeCom or Official Account contact can be.</summary>
    public static readonly DateTimeOffset Earliest = new(2010, 1, 1, 0, 0, 0, TimeSpan.Zero);

    internal static bool TryParse(InteractionRequest? body, DateTimeOffset now, out (string Kind, DateTimeOffset At, string? Id) report,
        out Dictionary<string, string[]> errors)
    {
        errors = [];
        report = default;
        if (body is null)
        {
            errors["body"] = ["a JSON object with kind and at is required"];
            return false;
        }
        if (body.Kind is not { Length: > 0 and <= KindLength } kind || !char.IsAsciiLetterLower(kind[0])
            || !kind.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '-' or '.'))
            errors["kind"] = [$"kind must be 1–{KindLength} lowercase ASCII letters, digits and _-., starting with a letter"];
        var at = default(DateTimeOffset);
        if (body.At is not { Length: > 0 and <= TimeLength } text
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at))
            errors["at"] = ["at must be an ISO 8601 time, e.g. 2026-01-31T08:00:00Z"];
        else if (at > now + MaxSkew || at < Earliest)
            errors["at"] = [$"at must be between {Earliest:yyyy-MM-dd} and now (at most {MaxSkew.TotalMinutes} minutes ahead)"];
        if (body.Id is { } id && (id.Length is 0 or > IdLength
            || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or ':' or '@')))
            errors["id"] = [$"id must be 1–{IdLength} ASCII letters, digits and _-.:@"];
        if (errors.Count > 0) return false;
        // Whole microseconds: what PostgreSQL keeps, so both stores answer the same time.
        report = (body.Kind!, new DateTimeOffset(at.UtcTicks - at.UtcTicks % 10, TimeSpan.Zero), body.Id);
        return true;
    }
}
