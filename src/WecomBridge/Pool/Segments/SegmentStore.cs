using System.Text.Json;

namespace WecomBridge.Pool.Segments;

/// <summary>
/// Saved segments and the filters run over the pool: PostgreSQL (<see cref="PostgresSegmentStore"/>) or memory (the
/// embedded mode's <see cref="InMemoryPoolStore"/>). Both give the same contacts in the same order for a filter.
/// </summary>
internal interface ISegmentStore
{
    Task<long> CountAsync(SegmentQuery query, CancellationToken ct = default);

    /// <summary>Up to <paramref name="limit"/> matching contacts in external user id order, after <paramref name="after"/>.</summary>
    Task<IReadOnlyList<SegmentContact>> PageAsync(SegmentQuery query, int limit, string? after, CancellationToken ct = default);

    Task<IReadOnlyList<SavedSegment>> ListSegmentsAsync(string corp, CancellationToken ct = default);

    Task<SavedSegment?> GetSegmentAsync(string corp, Guid id, CancellationToken ct = default);

    /// <summary>Adds or replaces the segment (same corp and id); false when replacing one that does not exist.</summary>
    Task<bool> SaveSegmentAsync(SavedSegment segment, bool create, CancellationToken ct = default);

    Task<bool> DeleteSegmentAsync(string corp, Guid id, CancellationToken ct = default);
}

/// <summary>A contact in a segment: its stage, last interaction and active relations.</summary>
public sealed record SegmentContact(
    string ExternalUserId,
    string? UnionId,
    string Stage,
    DateTimeOffset? LastInteractionAt,
    IReadOnlyList<PoolRelationSummary> Relations);

/// <summary>A saved segment: its filter as given (relative times stay relative), run whenever it is counted or read.</summary>
public sealed record SavedSegment(
    Guid Id,
    string Corp,
    string Name,
    string? Description,
    JsonElement Filter,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
