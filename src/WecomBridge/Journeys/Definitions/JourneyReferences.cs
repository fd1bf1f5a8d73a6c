using WecomBridge.Pool.Segments;

namespace WecomBridge.Journeys.Definitions;

/// <summary>What a journey names outside itself, for the API key's scope.</summary>
internal static class JourneyReferences
{
    /// <summary>Every Official Account: the trigger's, the template actions', those the conditions' filters test.</summary>
    public static IEnumerable<string> Accounts(JourneyDefinition journey) =>
        new[] { journey.Trigger.Account }.Concat(journey.Steps.Select(s => s.Action.Account))
            .Concat(journey.Steps.SelectMany(s => s.Conditions).SelectMany(c => c.Filter is { } f ? Accounts(f) : []))
            .OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase);

    private static IEnumerable<string?> Accounts(SegmentFilter filter) => filter switch
    {
        AllOf a => a.Items.SelectMany(Accounts),
        AnyOf a => a.Items.SelectMany(Accounts),
        NotOf n => Accounts(n.Item),
        OaSubscribedFilter o => [o.Account],
        _ => [],
    };
}
