namespace WecomBridge.Messaging;

/// <summary>The arguments that make a queue the app declares itself (send delays, the catch-all) a quorum queue.</summary>
internal static class QueueArguments
{
    /// <summary>
    /// <paramref name="arguments"/> plus `x-queue-type: quorum`; with <paramref name="deadLettersAtLeastOnce"/> also
    /// `x-dead-letter-strategy: at-least-once` and the `x-overflow: reject-publish` it requires (RabbitMQ 3.10+: a
    /// dead-lettered message stays in its queue until the target queue confirmed it).
    /// </summary>
    public static Dictionary<string, object?> Quorum(Dictionary<string, object?>? arguments = null, bool deadLettersAtLeastOnce = false)
    {
        var quorum = arguments is null ? [] : new Dictionary<string, object?>(arguments);
        quorum["x-queue-type"] = "quorum";
        if (deadLettersAtLeastOnce)
        {
            quorum["x-dead-letter-strategy"] = "at-least-once";
            quorum["x-overflow"] = "reject-publish";
        }
        return quorum;
    }
}
