using System.Text;
using MassTransit;

namespace WecomBridge.Messaging;

/// <summary>
/// WecomBridge's own messages get the exchange `wecombridge.` + kebab-case of the record name
/// (ExternalContactAdded → wecombridge.external-contact-added); any other type keeps MassTransit's name.
/// </summary>
internal sealed class BridgeEntityNameFormatter(IEntityNameFormatter fallback) : IEntityNameFormatter
{
    public string FormatEntityName<T>() =>
        typeof(T).Namespace?.StartsWith("WecomBridge", StringComparison.Ordinal) == true
            ? ExchangeName(typeof(T))
            : fallback.FormatEntityName<T>();

    public static string ExchangeName(Type type) => "wecombridge." + KebabCase(type.Name);

    public static string KebabCase(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                var boundary = i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1])));
                if (boundary) sb.Append('-');
                sb.Append(char.ToLowerInvariant(c));
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }
}
