using MassTransit;
using StackExchange.Redis;
using WecomBridge.Enrichment.MemberVersions;
using WecomBridge.Messaging;

namespace WecomBridge.Enrichment;

/// <summary>
/// The gateway's enrichment consumers: each reads the API after the events the gateway itself published (raw JSON
/// from their `wecombridge.*` exchanges) and publishes a snapshot. The member-version store is Redis when the app
/// has a multiplexer (ConnectionStrings:Redis), else in memory. `Enrichment:Enabled=false` keeps the consumers off the
/// bus (no queues, no bindings): for gateways that only take callbacks while other gateways of the deployment enrich.
/// </summary>
internal static class EnrichmentExtensions
{
    /// <summary>`Enrichment:Enabled`: whether this process runs the enrichment consumers (default true).</summary>
    public const string EnabledKey = EnrichmentOptions.Section + ":Enabled";

    internal static readonly Type[] Consumers =
    [
        typeof(ExternalContactAddedConsumer), typeof(ExternalContactHalfAddedConsumer), typeof(ExternalContactEditedConsumer),
        typeof(GroupChatCreatedConsumer), typeof(GroupChatUpdatedConsumer), typeof(CorpTagCreatedConsumer),
        typeof(CorpTagUpdatedConsumer), typeof(CorpTagDeletedConsumer), typeof(CorpTagsShuffledConsumer),
        typeof(FollowerSubscribedConsumer),
    ];

    public static IBusRegistrationConfigurator AddEnrichment(this IBusRegistrationConfigurator x)
    {
        x.AddSingleton(sp => new ExcludedConsumers(
            sp.GetRequiredService<IConfiguration>().GetValue(EnabledKey, true) ? [] : Consumers));
        x.AddOptions<EnrichmentOptions>().BindConfiguration(EnrichmentOptions.Section);
        x.AddSingleton<IMemberVersionStore>(sp => sp.GetService<IConnectionMultiplexer>() is { } redis
            ? new RedisMemberVersionStore(
                redis, sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<EnrichmentOptions>>().Value.MemberVersionTtl)
            : new InMemoryMemberVersionStore());
        x.AddTransient<ExternalContactEnricher>();
        x.AddTransient<GroupChatEnricher>();
        x.AddTransient<CorpTagCatalogEnricher>();
        // One endpoint per source event (raw JSON: an endpoint's consumers would all get each of its messages).
        x.AddConsumer<ExternalContactAddedConsumer, ExternalContactAddedConsumerDefinition>();
        x.AddConsumer<ExternalContactHalfAddedConsumer, ExternalContactHalfAddedConsumerDefinition>();
        x.AddConsumer<ExternalContactEditedConsumer, ExternalContactEditedConsumerDefinition>();
        x.AddConsumer<GroupChatCreatedConsumer, GroupChatCreatedConsumerDefinition>();
        x.AddConsumer<GroupChatUpdatedConsumer, GroupChatUpdatedConsumerDefinition>();
        x.AddConsumer<CorpTagCreatedConsumer, CorpTagCreatedConsumerDefinition>();
        x.AddConsumer<CorpTagUpdatedConsumer, CorpTagUpdatedConsumerDefinition>();
        x.AddConsumer<CorpTagDeletedConsumer, CorpTagDeletedConsumerDefinition>();
        x.AddConsumer<CorpTagsShuffledConsumer, CorpTagsShuffledConsumerDefinition>();
        x.AddConsumer<FollowerSubscribedConsumer, FollowerSubscribedConsumerDefinition>();
        return x;
    }
}
