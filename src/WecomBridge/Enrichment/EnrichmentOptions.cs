namespace WecomBridge.Enrichment;

/// <summary>"Enrichment": how the gateway reads the API after an event (concurrency, endpoint retries).</summary>
public sealed class EnrichmentOptions
{
    public const string Section = "Enrichment";

    /// <summary>
    /// Start of the enrichment queue names, one per source event (then e.g. external-contact-added, group-chat-updated,
    /// follower-subscribed; failed messages go to the same name + _error). Every gateway of one deployment must use the
    /// same prefix: they share the queues.
    /// </summary>
    public string QueuePrefix { get; set; } = "wecombridge.enrich.";
    /// <summary>Messages one consumer endpoint handles at once (each makes one or a few API calls).</summary>
    public int ConcurrentMessageLimit { get; set; } = 4;
    /// <summary>Endpoint redeliveries after the client's own retries gave up on a transient failure.</summary>
    public int RetryLimit { get; set; } = 3;
    public TimeSpan RetryMinInterval { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan RetryMaxInterval { get; set; } = TimeSpan.FromMinutes(2);
    /// <summary>How long a chat's last seen member_version is kept in Redis after its last change.</summary>
    public TimeSpan MemberVersionTtl { get; set; } = TimeSpan.FromDays(90);
}
