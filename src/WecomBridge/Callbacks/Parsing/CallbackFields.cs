using System.Globalization;

namespace WecomBridge.Callbacks.Parsing;

/// <summary>Typed reads of callback fields. Bad optional values throw <see cref="UnmappedCallbackException"/>.</summary>
internal static class CallbackFields
{
    public static string Required(this CallbackXml xml, string name) =>
        xml[name] is { Length: > 0 } value ? value : throw new UnmappedCallbackException($"missing {name}");

    public static string? Optional(this CallbackXml xml, string name) =>
        xml[name] is { Length: > 0 } value ? value : null;

    public static int? Int(this CallbackXml xml, string name) =>
        xml.Optional(name) is { } text ? ParseInt(text, name) : null;

    public static long? Long(this CallbackXml xml, string name) =>
        xml.Optional(name) is { } text ? ParseLong(text, name) : null;

    public static long RequiredLong(this CallbackXml xml, string name) => ParseLong(xml.Required(name), name);

    public static double? Double(this CallbackXml xml, string name) =>
        xml.Optional(name) is { } text
            ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : throw Invalid(name)
            : null;

    /// <summary>A comma list such as <c>1,2</c> or <c>lisi,wangwu</c>; null when the field is absent.</summary>
    public static string[]? CommaList(this CallbackXml xml, string name) =>
        xml[name] is { } text ? text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : null;

    public static long[]? LongList(this CallbackXml xml, string name) =>
        xml.CommaList(name) is { } items ? Array.ConvertAll(items, item => ParseLong(item, name)) : null;

    public static int[]? IntList(this CallbackXml xml, string name) =>
        xml.CommaList(name) is { } items ? Array.ConvertAll(items, item => ParseInt(item, name)) : null;

    /// <summary>CreateTime (unix seconds) as UTC; null when it is missing or not a unix time.</summary>
    public static DateTimeOffset? CreateTime(this CallbackXml xml) =>
        long.TryParse(xml["CreateTime"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
        && seconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    private static int ParseInt(string text, string name) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : throw Invalid(name);

    private static long ParseLong(string text, string name) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : throw Invalid(name);

    private static UnmappedCallbackException Invalid(string name) => new($"invalid {name}");
}
