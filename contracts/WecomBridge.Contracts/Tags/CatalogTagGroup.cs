namespace WecomBridge.Contracts.Tags;

/// <summary>Part of <see cref="CorpTagCatalogPublished"/>: a tag group and its tags (higher Order first in the client).</summary>
public sealed record CatalogTagGroup(
    string GroupId,
    string GroupName,
    DateTimeOffset CreatedAt,
    int Order,
    bool Deleted,
    IReadOnlyList<CatalogTag> Tags);
