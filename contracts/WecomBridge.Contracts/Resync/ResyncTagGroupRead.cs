namespace WecomBridge.Contracts.Resync;

/// <summary>A re-sync read one corp tag group and its tags (externalcontact/get_corp_tag_list). Tags: id → name.</summary>
public sealed record ResyncTagGroupRead(
    string EventId,
    string ResyncId,
    string Corp,
    string CorpId,
    DateTimeOffset ReadAt,
    string GroupId,
    string GroupName,
    int Order,
    bool Deleted,
    IReadOnlyDictionary<string, string> Tags);
