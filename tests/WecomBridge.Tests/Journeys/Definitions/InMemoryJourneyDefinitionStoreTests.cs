using WecomBridge.Journeys;

namespace WecomBridge.Tests.Journeys.Definitions;

/// <summary>The definition store contract against the embedded mode's in-memory store.</summary>
public sealed class InMemoryJourneyDefinitionStoreTests : JourneyDefinitionStoreContract
{
    internal override Task<IJourneyDefinitionStore> CreateStoreAsync() =>
        Task.FromResult<IJourneyDefinitionStore>(new InMemoryJourneyDefinitionStore(Time));
}
