using WecomBridge.Contracts.Pool;
using WecomBridge.Messaging;

namespace WecomBridge.Pool.Activity;

/// <summary>The pool's events as outbox rows, each with an id derived from what it says, so a repeat carries the same id.</summary>
internal static class ActivityEvents
{
    public static OutboxEvent StageChanged(ContactFacts c, string stage, DateTimeOffset now)
    {
        var id = EventIds.Of($"stage:{c.Corp}:{c.ExternalUserId}:{c.Stage}:{stage}:{now.ToUnixTimeMilliseconds()}");
        return Row(new ContactStageChanged(id, c.Corp, c.ExternalUserId, stage, c.Stage, c.LastInteractionAt, now), id, now);
    }

    public static OutboxEvent BurstDetected(string corp, string state, DateTimeOffset startedAt, int adds, int limit, DateTimeOffset at)
    {
        var id = EventIds.Of($"burst:{corp}:{state}:{startedAt.ToUnixTimeSeconds()}");
        return Row(new ChannelBurstDetected(id, corp, state, startedAt, adds, limit, at), id, at);
    }

    private static OutboxEvent Row(object message, string id, DateTimeOffset at) =>
        new(id, message.GetType().FullName!, System.Text.Encoding.UTF8.GetString(EventJson.Serialize(message)), at);
}
