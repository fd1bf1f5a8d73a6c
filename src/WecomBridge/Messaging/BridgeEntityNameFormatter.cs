using System.Text.Json;
using MassTransit;
using WecomBridge.Contracts.Sending;

namespace WecomBridge.Messaging;

/// <summary>
/// WecomBridge's own messages get the exchange `wecombridge.` + kebab-case of the record name
/// (ExternalContactAdded → wecombridge.external-contact-added); any other type keeps MassTransit's name.
/// Commands (the send API's <see cref="SendRequested"/> and <see cref="WelcomeRequested"/>) are for this deployment's
/// dispatchers alone: their exchange starts with its `Messaging:EndpointPrefix` instead (also `wecombridge` by
/// default), so that two deployments on one broker never take each other's sends.
/// </summary>
internal sealed class BridgeEntityNameFormatter(IEntityNameFormatter fallback, string commandPrefix) : IEntityNameFormatter
{
    public const string EventPrefix = "wecombridge";

    public string FormatEntityName<T>() =>
        typeof(T).Namespace?.StartsWith("WecomBridge", StringComparison.Ordinal) == true
            ? ExchangeName(typeof(T), commandPrefix)
            : fallback.FormatEntityName<T>();

    public static string ExchangeName(Type type, string commandPrefix = EventPrefix) =>
        (IsCommand(type) ? commandPrefix : EventPrefix) + "." + KebabCase(type.Name);

    public static bool IsCommand(Type type) => type == typeof(SendRequested) || type == typeof(WelcomeRequested);

    public static string KebabCase(string name) => JsonNamingPolicy.KebabCaseLower.ConvertName(name);
}
