using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using WecomBridge.Api;

namespace WecomBridge.Pool.Segments;

/// <summary>The values inside conditions: ids and lists of them, times, and objects of known fields.</summary>
internal sealed partial class SegmentFilterParser
{
    /// <summary>A string or an array of 1–ListItems strings (only an array when <paramref name="listOnly"/>).</summary>
    private List<string>? Ids(JsonElement value, string at, int maxLength, bool state = false, bool listOnly = false)
    {
        if (value.ValueKind == JsonValueKind.String && !listOnly) return Id(value, at, maxLength, state) is { } one ? [one] : null;
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() is 0 || value.GetArrayLength() > SegmentLimits.ListItems)
        {
            Error(at, $"Expected {(listOnly ? "" : "a string or ")}an array of 1–{SegmentLimits.ListItems} strings.");
            return null;
        }
        var ids = new List<string>();
        var i = 0;
        foreach (var item in value.EnumerateArray())
            if (Id(item, $"{at}[{i++}]", maxLength, state) is { } id) ids.Add(id);
        return ids.Count == i ? ids : null;
    }

    /// <summary>A WeCom id (letters, digits, _-.@) or, for a channel state, any text without control characters.</summary>
    private string? Id(JsonElement value, string at, int maxLength, bool state = false)
    {
        var s = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        var ok = state ? s is { Length: > 0 } && s.Length <= maxLength && !s.Any(char.IsControl) : WeComIdAttribute.IsValid(s, maxLength);
        if (ok) return s;
        Error(at, state ? $"A channel state is 1–{maxLength} characters without control characters."
            : $"Expected an id: 1–{maxLength} ASCII letters, digits and _-.@.");
        return null;
    }

    /// <summary>An ISO 8601 time with its offset (2026-01-31T00:00:00Z), or a duration before now (P30D, PT12H, P2W).</summary>
    private TimeRef? Time(JsonElement value, string at)
    {
        var s = value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
        if (s.Length is > 0 and <= 40)
        {
            if (Duration().Match(s) is { Success: true } m && m.Length > 1 && !s.EndsWith('T') && ToTimeSpan(m) is { } ago)
                return new TimeRef(null, ago);
            if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) && char.IsAsciiDigit(s[0]))
                return new TimeRef(t, TimeSpan.Zero);
        }
        Error(at, $"Expected an ISO 8601 time (2026-01-31T00:00:00Z) or a duration before now (P30D, PT12H) of at most "
            + $"{SegmentLimits.LongestDuration.Days} days.");
        return null;
    }

    private static TimeSpan? ToTimeSpan(Match m)
    {
        long Part(string name) => m.Groups[name].Success ? long.Parse(m.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
        var seconds = (((Part("w") * 7 + Part("d")) * 24 + Part("h")) * 60 + Part("m")) * 60 + Part("s");
        return seconds <= SegmentLimits.LongestDuration.TotalSeconds ? TimeSpan.FromSeconds(seconds) : null;
    }

    [GeneratedRegex(@"^P(?:(?<w>\d{1,6})W)?(?:(?<d>\d{1,6})D)?(?:T(?:(?<h>\d{1,7})H)?(?:(?<m>\d{1,9})M)?(?:(?<s>\d{1,11})S)?)?$",
        RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex Duration();

    /// <summary>An object whose fields are among <paramref name="known"/>, each once; at least one unless <paramref name="allowEmpty"/>.</summary>
    private bool Fields(JsonElement value, string at, string[] known, out Dictionary<string, JsonElement> fields, bool allowEmpty = false)
    {
        fields = [];
        if (value.ValueKind != JsonValueKind.Object)
        {
            Error(at, $"Expected an object with {(allowEmpty ? "any" : "one or more")} of: {string.Join(", ", known)}.");
            return false;
        }
        foreach (var p in value.EnumerateObject())
        {
            if (!known.Contains(p.Name) || !fields.TryAdd(p.Name, p.Value))
            {
                Error($"{at}.{(p.Name.Length <= 32 && p.Name.All(char.IsAsciiLetter) ? p.Name : "?")}",
                    $"Unknown or repeated field; known: {string.Join(", ", known)}.");
                return false;
            }
        }
        if (fields.Count > 0 || allowEmpty) return true;
        Error(at, $"Expected one or more of: {string.Join(", ", known)}.");
        return false;
    }
}
