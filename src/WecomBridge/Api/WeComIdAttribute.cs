using System.ComponentModel.DataAnnotations;

namespace WecomBridge.Api;

/// <summary>
/// A WeCom/OA identifier (userid, external_userid, tag id, openid): 1 to <see cref="MaxLength"/> characters of
/// ASCII letters, digits and `_-.@`. Anything else cannot be a real id, so it is refused before any call.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
internal sealed class WeComIdAttribute(int maxLength) : ValidationAttribute
{
    public int MaxLength => maxLength;

    public static bool IsValid(string? value, int maxLength) =>
        !string.IsNullOrEmpty(value) && value.Length <= maxLength
        && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '@');

    public override bool IsValid(object? value) => value is null || value is string s && IsValid(s, maxLength);

    public override string FormatErrorMessage(string name) =>
        $"{name} must be 1–{maxLength} characters of ASCII letters, digits and _-.@";
}
