namespace WecomBridge.Hosting;

/// <summary>Checks shared by the options validators. Messages name the setting's path, never its value.</summary>
internal static class SettingRules
{
    public static void Required(List<string> errors, string path, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) errors.Add($"{path} is required");
    }

    public static void CallbackToken(List<string> errors, string path, string? value)
    {
        if (string.IsNullOrEmpty(value)) errors.Add($"{path} is required");
        else if (value.Length > 32 || !value.All(char.IsAsciiLetterOrDigit))
            errors.Add($"{path} must be 1-32 letters or digits");
    }

    public static void EncodingAesKey(List<string> errors, string path, string? value, bool optional = false)
    {
        if (optional && string.IsNullOrEmpty(value)) return;
        if (Callbacks.Crypto.CallbackCrypto.DecodeAesKey(value) is null)
            errors.Add($"{path} must be exactly 43 characters of [a-zA-Z0-9] (it has {value?.Length ?? 0})");
    }

    public static void AbsoluteHttpUrl(List<string> errors, string path, Uri? value)
    {
        if (value is not null && (!value.IsAbsoluteUri || value.Scheme is not ("http" or "https")))
            errors.Add($"{path} must be an absolute http(s) URL");
    }
}
