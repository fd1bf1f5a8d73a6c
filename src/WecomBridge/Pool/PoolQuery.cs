using System.Buffers.Text;
using System.Globalization;
using System.Text;
using WecomBridge.Api;

namespace WecomBridge.Pool;

/// <summary>
/// The query of GET /api/v1/pool/{corp}/contacts, checked whole: each parameter at most once, within its bounds, so that
/// a hostile or oversized query is a 400 naming the parameter, never a scan of the pool.
/// </summary>
internal static class PoolQuery
{
    public const int DefaultLimit = 100;
    /// <summary>A contact way's state is at most 30 characters; acquisition links' customer_channel a little more.</summary>
    public const int StateLength = 64;
    private const int CursorLength = 200;

    /// <summary>The parameters as bound; <paramref name="query"/> only to refuse one given twice (bound joined by commas).</summary>
    public static bool TryParse(string corp, IQueryCollection query, (string? State, string? Tag, string? AddedAfter, string? Limit,
        string? After) given, int maxLimit, out ContactQuery parsed, out Dictionary<string, string[]> errors)
    {
        errors = [];
        parsed = new ContactQuery(corp, null, null, null, DefaultLimit, null);
        foreach (var (name, values) in query)
            if (values.Count > 1) errors[name] = [$"{name} may be given once"];
        if (errors.Count > 0) return false;

        var state = given.State is { Length: > 0 } s ? s : null;
        if (state is not null && (state.Length > StateLength || state.Any(char.IsControl)))
            errors["state"] = [$"state must be 1–{StateLength} characters without control characters"];
        var tag = given.Tag is { Length: > 0 } t ? t : null;
        if (tag is not null && !WeComIdAttribute.IsValid(tag, PoolApi.IdLength))
            errors["tag"] = [$"tag must be a corp tag id: 1–{PoolApi.IdLength} ASCII letters, digits and _-.@"];
        DateTimeOffset? addedAfter = null;
        if (given.AddedAfter is { Length: > 0 } a)
        {
            if (a.Length <= 40 && DateTimeOffset.TryParse(a, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                addedAfter = at;
            else errors["addedAfter"] = ["addedAfter must be an ISO 8601 time, e.g. 2026-01-31T00:00:00Z"];
        }
        var limit = DefaultLimit;
        if (given.Limit is { Length: > 0 } l
            && (l.Length > 6 || !int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > maxLimit))
            errors["limit"] = [$"limit must be a whole number 1–{maxLimit}"];
        string? after = null;
        if (given.After is { Length: > 0 } c && !TryReadCursor(c, out after))
            errors["after"] = ["after must be the next value of the previous page"];
        if (errors.Count > 0) return false;
        parsed = new ContactQuery(corp, state, tag, addedAfter, limit, after);
        return true;
    }

    /// <summary>The position after a contact, opaque to callers (base64url of its id) so that it may carry more later.</summary>
    public static string Cursor(string externalUserId) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(externalUserId));

    internal static bool TryReadCursor(string cursor, out string? externalUserId)
    {
        externalUserId = null;
        if (cursor.Length > CursorLength || !Base64Url.IsValid(cursor)) return false;
        var id = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
        if (!WeComIdAttribute.IsValid(id, PoolApi.IdLength)) return false;
        externalUserId = id;
        return true;
    }
}
