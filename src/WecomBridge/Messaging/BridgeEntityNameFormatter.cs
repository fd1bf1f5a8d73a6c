using System.Text.Json;
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

    public static string KebabCase(string name) => JsonNamingPolicy.KebabCaseLower.ConvertName(name);
}
