using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace WecomBridge.Journeys.Definitions;

/// <summary>The JSON values of a journey: objects of known fields, strings, booleans, durations and times of day.</summary>
internal sealed partial class JourneyReader
{
    private static string At(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    /// <summary>A field name as an error key: only plain ones are echoed, so that a hostile name never reaches a response.</summary>
    private static string Safe(string name) => name.Length is > 0 and <= 32 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? name : "?";

    private void Error(string path, string message)
    {
        if (++_errorCount <= MaxErrors) _errors.Add(path.Length == 0 ? "$" : path, message);
        else if (_errorCount == MaxErrors + 1) _errors.Add("$", $"More than {MaxErrors} errors; the rest are left out.");
    }

    private T? Required<T>(string path) where T : class
    {
        Error(path, "is required.");
        return null;
    }

    /// <summary>An object whose fields are among <paramref name="known"/>, each once; else null with an error per bad field.</summary>
    private Dictionary<string, JsonElement>? Fields(JsonElement value, string path, string[] known, string what)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            Error(path, $"must be {what}: a JSON object.");
            return null;
        }
        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var ok = true;
        foreach (var p in value.EnumerateObject())
        {
            if (known.Contains(p.Name) && fields.TryAdd(p.Name, p.Value)) continue;
            Error(At(path, Safe(p.Name)), $"is an unknown or repeated field of {what}; known: {string.Join(", ", known)}.");
            ok = false;
        }
        return ok ? fields : null;
    }

    /// <summary>A string field (JSON null or absent: null); not a string, or not valid Unicode, is an error.</summary>
    private string? String(Dictionary<string, JsonElement> fields, string name, string path, bool required = false)
    {
        var at = At(path, name);
        if (!fields.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return required ? Required<string>(at) : null;
        if (value.ValueKind != JsonValueKind.String) return Invalid(at, "must be a string.");
        try
        {
            var text = value.GetString()!;
            return required && text.Length == 0 ? Required<string>(at) : text;
        }
        catch (InvalidOperationException)
        {
            return Invalid(at, "is not valid Unicode.");
        }
    }

    private string? Invalid(string path, string message)
    {
        Error(path, message);
        return null;
    }

    private bool? Bool(Dictionary<string, JsonElement> fields, string name, string path)
    {
        if (!fields.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) return value.GetBoolean();
        Error(At(path, name), "must be true or false.");
        return null;
    }

    /// <summary>An array of at most <paramref name="max"/> items (at least <paramref name="min"/>); its items are not read when too many.</summary>
    private bool Array(JsonElement value, string path, int min, int max)
    {
        if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() is var n && n >= min && n <= max) return true;
        Error(path, $"must be an array of {min}–{max} items.");
        return false;
    }

    /// <summary>An ISO 8601 duration of weeks, days, hours, minutes and seconds (P1D, PT2H30M, PT0S), at most the longest delay.</summary>
    private TimeSpan? Duration(string? text, string path, bool positive = false)
    {
        if (text is null) return null;
        if (text.Length <= 40 && DurationPattern().Match(text) is { Success: true } m && text.Length > 1 && !text.EndsWith('T'))
        {
            long Part(string name) => m.Groups[name].Success ? long.Parse(m.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
            var seconds = (((Part("w") * 7 + Part("d")) * 24 + Part("h")) * 60 + Part("m")) * 60 + Part("s");
            if (seconds <= JourneyLimits.LongestDelay.TotalSeconds && (!positive || seconds > 0)) return TimeSpan.FromSeconds(seconds);
        }
        Error(path, $"must be an ISO 8601 duration of weeks, days, hours, minutes and seconds (P1D, PT2H30M, PT0S), "
            + $"{(positive ? "above zero and " : "")}at most {JourneyLimits.LongestDelay.Days} days.");
        return null;
    }

    /// <summary>A local time of day, HH:mm on the 24-hour clock.</summary>
    private TimeOnly? TimeOfDay(string? text, string path)
    {
        if (text is null) return null;
        if (TimePattern().IsMatch(text)) return TimeOnly.ParseExact(text, "HH:mm", CultureInfo.InvariantCulture);
        Error(path, "must be a time of day as HH:mm (24-hour clock, e.g. 10:00).");
        return null;
    }

    [GeneratedRegex(@"^P(?:(?<w>[0-9]{1,4})W)?(?:(?<d>[0-9]{1,4})D)?"
        + @"(?:T(?:(?<h>[0-9]{1,5})H)?(?:(?<m>[0-9]{1,7})M)?(?:(?<s>[0-9]{1,9})S)?)?$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"^(?:[01][0-9]|2[0-3]):[0-5][0-9]$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex TimePattern();
}
