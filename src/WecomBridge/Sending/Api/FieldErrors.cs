using System.Text;
using WecomBridge.Api;

namespace WecomBridge.Sending.Api;

/// <summary>Validation errors keyed by JSON path (`customerTask.externalUserIds[3]`), and the checks that add them.</summary>
internal sealed class FieldErrors
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public void Add(string path, string message)
    {
        if (!_errors.TryGetValue(path, out var list)) _errors[path] = list = [];
        list.Add(message);
    }

    public Dictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public bool Required(string path, object? value)
    {
        if (value is null or "") Add(path, "is required.");
        return value is not (null or "");
    }

    public void Absent(string path, object? value, string why)
    {
        if (value is not null) Add(path, why);
    }

    public void Id(string path, string? value, int maxLength)
    {
        if (value is not null && !WeComIdAttribute.IsValid(value, maxLength))
            Add(path, $"must be 1–{maxLength} characters of ASCII letters, digits and _-.@");
    }

    /// <summary>Null is fine; a given list must be non-empty, bounded, of well-formed ids without repeats.</summary>
    public void Ids(string path, List<string?>? ids, int maxCount, int maxLength)
    {
        if (ids is { Count: 0 }) Add(path, "must not be empty when given.");
        foreach (var error in IdLists.Check(ids, path, maxCount, maxLength))
            Add(error.MemberNames.First(), error.ErrorMessage!);
    }

    public void Numbers(string path, List<long?>? ids, int maxCount)
    {
        if (ids is null) return;
        if (ids.Count == 0 || ids.Count > maxCount) Add(path, $"must have 1–{maxCount} ids when given.");
        else if (ids.Distinct().Count() != ids.Count) Add(path, "repeats an id.");
        for (var i = 0; i < Math.Min(ids.Count, maxCount); i++)
            if (ids[i] is not > 0) Add($"{path}[{i}]", "must be a positive number.");
    }

    /// <summary>Text for WeCom/OA: valid Unicode, no control characters but tab and line breaks, at most maxBytes of UTF-8.</summary>
    public void Text(string path, string? text, int maxBytes)
    {
        if (text is null) return;
        if (Utf8Bytes(path, text) is { } bytes && bytes > maxBytes) Add(path, $"is {bytes} bytes of UTF-8; at most {maxBytes} are allowed.");
    }

    /// <summary>Like <see cref="Text"/>, counted in characters (Unicode scalar values).</summary>
    public void TextChars(string path, string? text, int maxChars)
    {
        if (text is null || Utf8Bytes(path, text) is null) return;
        var chars = text.EnumerateRunes().Count();
        if (chars > maxChars) Add(path, $"is {chars} characters; at most {maxChars} are allowed.");
    }

    private int? Utf8Bytes(string path, string text)
    {
        if (text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            Add(path, "must not contain control characters.");
            return null;
        }
        try
        {
            return StrictUtf8.GetByteCount(text);
        }
        catch (EncoderFallbackException)
        {
            Add(path, "is not valid Unicode (a lone surrogate).");
            return null;
        }
    }

    public void Url(string path, string? value)
    {
        if (value is null) return;
        if (value.Length > SendLimits.Url || !Uri.TryCreate(value, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https") || value.Any(c => c <= ' ' || c > '~'))
            Add(path, $"must be an absolute http or https URL of printable ASCII, at most {SendLimits.Url} characters.");
    }

    /// <summary>An opaque token (media id, welcome code, mini program page): 1–maxLength printable ASCII without spaces.</summary>
    public void Token(string path, string? value, int maxLength)
    {
        if (value is not null && (value.Length is 0 || value.Length > maxLength || value.Any(c => c <= ' ' || c > '~')))
            Add(path, $"must be 1–{maxLength} printable ASCII characters without spaces.");
    }
}
