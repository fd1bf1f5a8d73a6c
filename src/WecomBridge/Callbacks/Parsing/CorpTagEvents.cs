using WecomBridge.Contracts.Tags;

namespace WecomBridge.Callbacks.Parsing;

/// <summary>change_external_tag: create, update, delete (tag or tag_group) and shuffle (docs/wecom-protocol.md §3).</summary>
internal static class CorpTagEvents
{
    public static object Map(CallbackXml x, in WeComSource s) => x.Required("ChangeType") switch
    {
        "create" => new CorpTagCreated(s.EventId, s.Corp, s.App, s.CorpId, s.OccurredAt, s.ReceivedAt, x.Required("Id"), x.Required("TagType")),
        "update" => new CorpTagUpdated(s.EventId, s.Corp, s.App, s.CorpId, s.OccurredAt, s.ReceivedAt, x.Required("Id"), x.Required("TagType")),
        "delete" => new CorpTagDeleted(s.EventId, s.Corp, s.App, s.CorpId, s.OccurredAt, s.ReceivedAt, x.Required("Id"), x.Required("TagType")),
        "shuffle" => new CorpTagsShuffled(s.EventId, s.Corp, s.App, s.CorpId, s.OccurredAt, s.ReceivedAt, x.Optional("Id"), x.Optional("StrategyId")),
        _ => throw new UnmappedCallbackException("unknown ChangeType"),
    };
}
