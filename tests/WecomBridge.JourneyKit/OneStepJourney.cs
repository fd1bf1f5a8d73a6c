using System.Text.Json;
using WecomBridge.Journeys;
using WecomBridge.Journeys.Definitions;

namespace WecomBridge.JourneyKit;

/// <summary>
/// The journey of the drills and the benchmark: enrolled by the CRM's call, one <c>customerTask</c> due at once (step
/// <see cref="StepId"/>), ended by the contact's deletion or suppression. Read through the definitions API's reader, so
/// that it is a journey the API would accept.
/// </summary>
internal static class OneStepJourney
{
    public const string StepId = "hello";
    public const string Text = "Hello from the journey";

    public static async Task<JourneyDefinition> SaveAsync(IJourneyDefinitionStore store, string corp, string id, CancellationToken ct = default)
    {
        using var json = JsonDocument.Parse($$$"""
            {"id": "{{{id}}}", "name": "One step", "trigger": {"kind": "enrolCall"},
             "exits": [{"kind": "contactDeleted"}, {"kind": "suppressed"}],
             "steps": [{"id": "{{{StepId}}}", "delay": "PT0S", "action": {"kind": "customerTask", "text": "{{{Text}}}"}}]}
            """);
        var definition = JourneyReader.Read(json.RootElement.Clone(), corp, null, out var errors)
            ?? throw new InvalidOperationException(string.Join("; ", errors.Keys));
        return await store.SaveAsync(definition, ct);
    }
}
