namespace WecomBridge.Journeys;

/// <summary>
/// The journeys' versions (PostgreSQL, or memory in the embedded mode). Saving never changes a version: it adds the
/// next one, so that running enrolments keep theirs.
/// </summary>
internal interface IJourneyDefinitionStore
{
    /// <summary>Stores the definition as the next version of its id (Version is ignored); returns it as stored.</summary>
    Task<JourneyDefinition> SaveAsync(JourneyDefinition definition, CancellationToken ct = default);

    /// <summary>One version; null version: the latest.</summary>
    Task<JourneyDefinition?> GetAsync(string corp, string id, int? version = null, CancellationToken ct = default);

    /// <summary>The latest version of each of the corp's journeys.</summary>
    Task<IReadOnlyList<JourneyDefinition>> ListAsync(string corp, CancellationToken ct = default);

    /// <summary>The latest versions, of active journeys, whose trigger is of this kind: what an event may enrol into.</summary>
    Task<IReadOnlyList<JourneyDefinition>> ActiveByTriggerAsync(string corp, string triggerKind, CancellationToken ct = default);
}

internal sealed class InMemoryJourneyDefinitionStore(TimeProvider time) : IJourneyDefinitionStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Corp, string Id), List<JourneyDefinition>> _versions = [];

    public Task<JourneyDefinition> SaveAsync(JourneyDefinition definition, CancellationToken ct = default)
    {
        lock (_gate)
        {
            var key = (definition.Corp.ToLowerInvariant(), definition.Id);
            if (!_versions.TryGetValue(key, out var list)) _versions[key] = list = [];
            var stored = definition with { Version = list.Count + 1, CreatedAt = time.GetUtcNow() };
            list.Add(stored);
            return Task.FromResult(stored);
        }
    }

    public Task<JourneyDefinition?> GetAsync(string corp, string id, int? version = null, CancellationToken ct = default)
    {
        lock (_gate)
        {
            if (!_versions.TryGetValue((corp.ToLowerInvariant(), id), out var list)) return Task.FromResult<JourneyDefinition?>(null);
            return Task.FromResult(version is { } v ? list.ElementAtOrDefault(v - 1) : list[^1]);
        }
    }

    public Task<IReadOnlyList<JourneyDefinition>> ListAsync(string corp, CancellationToken ct = default)
    {
        lock (_gate)
        {
            IReadOnlyList<JourneyDefinition> latest = _versions
                .Where(v => v.Key.Corp == corp.ToLowerInvariant()).Select(v => v.Value[^1]).OrderBy(d => d.Id, StringComparer.Ordinal).ToArray();
            return Task.FromResult(latest);
        }
    }

    public async Task<IReadOnlyList<JourneyDefinition>> ActiveByTriggerAsync(string corp, string triggerKind, CancellationToken ct = default) =>
        (await ListAsync(corp, ct)).Where(d => d.Active && d.Trigger.Kind == triggerKind).ToArray();
}
