using System.Text.RegularExpressions;

namespace WecomBridge.Hosting;

/// <summary>
/// A setting whose value does not convert to its type (`00:00:60` for a TimeSpan, `abc` for a number, a name no
/// enum has): the configuration binder throws an InvalidOperationException naming the path, the type and the value.
/// This turns it into one line naming the path and what the value must be, never the value (it may be a secret).
/// </summary>
internal static partial class ConfigurationValues
{
    [GeneratedRegex(@"^Failed to convert configuration value .* at '(?<path>[^']*)' to type '(?<type>[^']*)'\.$", RegexOptions.Singleline)]
    private static partial Regex BinderFailure();

    /// <summary>The line for a binder's conversion failure (anywhere in the chain of inner exceptions), else null.</summary>
    public static string? Describe(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is InvalidOperationException && BinderFailure().Match(e.Message) is { Success: true } failure)
                return $"{failure.Groups["path"].Value} {Expectation(failure.Groups["type"].Value)}";
        return null;
    }

    private static string Expectation(string typeName)
    {
        var type = Resolve(typeName);
        type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            null => $"is not a valid {typeName}",
            { IsEnum: true } => $"must be one of {string.Join(", ", Enum.GetNames(type))}",
            _ when type == typeof(TimeSpan) => "must be a duration as [d.]hh:mm:ss[.fff], e.g. 00:00:03 or 1.00:00:00",
            _ when type == typeof(TimeOnly) => "must be a time of day as hh:mm, e.g. 21:00",
            _ when type == typeof(bool) => "must be true or false",
            _ when type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte)
                || type == typeof(uint) || type == typeof(ulong) || type == typeof(ushort) => "must be a whole number",
            _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => "must be a number",
            _ when type == typeof(Uri) => "must be a URL",
            _ => $"is not a valid {type.Name}",
        };
    }

    private static Type? Resolve(string typeName) =>
        Type.GetType(typeName, throwOnError: false)
        ?? AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(typeName, throwOnError: false)).FirstOrDefault(t => t is not null);
}
