namespace WecomBridge.Contracts.Tags;

/// <summary>Part of <see cref="CatalogTagGroup"/>: one corp tag.</summary>
public sealed record CatalogTag(
    string Id,
    string Name,
    DateTimeOffset CreatedAt,
    int Order,
    bool Deleted);
