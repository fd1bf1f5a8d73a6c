using WecomBridge.Contracts.Followers;

namespace WecomBridge.Callbacks.Parsing;

/// <summary>Official Account events (docs/wecom-protocol.md §4). Event names are matched ignoring case.</summary>
internal static class FollowerEvents
{
    private const string ScenePrefix = "qrscene_";

    public static object Map(CallbackXml x, in OfficialAccountSource s) => x.Required("Event").ToUpperInvariant() switch
    {
        "SUBSCRIBE" => new FollowerSubscribed(
            s.EventId, s.Account, s.AppId, s.OriginalId, s.OccurredAt, s.ReceivedAt,
            x.Required("FromUserName"), Scene(x.Optional("EventKey")), x.Optional("Ticket")),
        "UNSUBSCRIBE" => new FollowerUnsubscribed(
            s.EventId, s.Account, s.AppId, s.OriginalId, s.OccurredAt, s.ReceivedAt, x.Required("FromUserName")),
        "SCAN" => new FollowerScanned(
            s.EventId, s.Account, s.AppId, s.OriginalId, s.OccurredAt, s.ReceivedAt,
            x.Required("FromUserName"),
            Scene(x.Required("EventKey")) ?? throw new UnmappedCallbackException("missing EventKey"), x.Optional("Ticket")),
        "LOCATION" => new FollowerLocationReported(
            s.EventId, s.Account, s.AppId, s.OriginalId, s.OccurredAt, s.ReceivedAt, x.Required("FromUserName"),
            x.Double("Latitude") ?? throw new UnmappedCallbackException("missing Latitude"),
            x.Double("Longitude") ?? throw new UnmappedCallbackException("missing Longitude"),
            x.Double("Precision")),
        "CLICK" => new MenuClicked(
            s.EventId, s.Account, s.AppId, s.OriginalId, s.OccurredAt, s.ReceivedAt, x.Required("FromUserName"), x.Required("EventKey")),
        "VIEW" => new MenuLinkViewed(
            s.EventId, s.Account, s.AppId, s.OriginalId, s.OccurredAt, s.ReceivedAt,
            x.Required("FromUserName"), x.Required("EventKey"), x.Optional("MenuId")),
        "TEMPLATESENDJOBFINISH" => SendJobEvents.Template(x, s),
        "MASSSENDJOBFINISH" => SendJobEvents.Mass(x, s),
        _ => throw new UnmappedCallbackException("unknown Event"),
    };

    /// <summary>The QR scene: EventKey without its <c>qrscene_</c> prefix; null when there is none.</summary>
    private static string? Scene(string? eventKey) =>
        eventKey is not null && eventKey.StartsWith(ScenePrefix, StringComparison.Ordinal)
            ? eventKey[ScenePrefix.Length..] is { Length: > 0 } scene ? scene : null
            : eventKey;
}
