using WecomBridge.Contracts.GroupChats;

namespace WecomBridge.Callbacks.Parsing;

/// <summary>change_external_chat: create, update (with its UpdateDetail), dismiss (docs/wecom-protocol.md §3).</summary>
internal static class GroupChatEvents
{
    public static object Map(CallbackXml x, in WeComSource s)
    {
        var changeType = x.Required("ChangeType");
        var chatId = x.Required("ChatId");
        return changeType switch
        {
            "create" => new GroupChatCreated(s.EventId, s.Corp, s.App, s.CorpId, s.OccurredAt, s.ReceivedAt, chatId),
            "dismiss" => new GroupChatDismissed(s.EventId, s.Corp, s.App, s.CorpId, s.OccurredAt, s.ReceivedAt, chatId),
            "update" => new GroupChatUpdated(
                s.EventId, s.Corp, s.App, s.CorpId, s.OccurredAt, s.ReceivedAt, chatId,
                x.Required("UpdateDetail"),
                x.Int("JoinScene"),
                x.Int("QuitScene"),
                x.Int("MemChangeCnt"),
                x.All("MemChangeList/Item"),
                x.Optional("LastMemVer"),
                x.Optional("CurMemVer")),
            _ => throw new UnmappedCallbackException("unknown ChangeType"),
        };
    }
}
