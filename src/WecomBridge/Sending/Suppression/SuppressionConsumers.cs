using MassTransit;
using Microsoft.Extensions.Options;
using WecomBridge.Contracts.Contacts;
using WecomBridge.Contracts.Followers;
using WecomBridge.OfficialAccount;
using WecomBridge.WeCom;

namespace WecomBridge.Sending.Suppression;

// Keep the suppression list from the events the gateway publishes. One consumer (so one queue) per event
// type: raw JSON carries no MassTransit type header, so a queue must only ever receive one type. Each change
// counts at its event's time (the list ignores one older than the recipient's last change: events arrive out of
// order), in the scope of the corp or account as configured (ConfiguredNames).

internal sealed class FollowUserDeletedSuppression(ISuppressionList list, IOptionsMonitor<WeComOptions> wecom) : IConsumer<FollowUserDeleted>
{
    public Task Consume(ConsumeContext<FollowUserDeleted> context) => list.AddAsync(
        SuppressionScopes.WeCom(ConfiguredNames.Corp(wecom.CurrentValue, context.Message.Corp)),
        SuppressionScopes.Pair(context.Message.UserId, context.Message.ExternalUserId), "customer-deleted-employee", context.Message.OccurredAt);
}

internal sealed class ExternalContactDeletedSuppression(ISuppressionList list, IOptionsMonitor<WeComOptions> wecom)
    : IConsumer<ExternalContactDeleted>
{
    public Task Consume(ConsumeContext<ExternalContactDeleted> context) => list.AddAsync(
        SuppressionScopes.WeCom(ConfiguredNames.Corp(wecom.CurrentValue, context.Message.Corp)),
        SuppressionScopes.Pair(context.Message.UserId, context.Message.ExternalUserId), "employee-deleted-customer", context.Message.OccurredAt);
}

/// <summary>Added again: the pair may be messaged again (unless the delete is newer than this add).</summary>
internal sealed class ExternalContactAddedSuppression(ISuppressionList list, IOptionsMonitor<WeComOptions> wecom) : IConsumer<ExternalContactAdded>
{
    public Task Consume(ConsumeContext<ExternalContactAdded> context) => list.RemoveAsync(
        SuppressionScopes.WeCom(ConfiguredNames.Corp(wecom.CurrentValue, context.Message.Corp)),
        SuppressionScopes.Pair(context.Message.UserId, context.Message.ExternalUserId), context.Message.OccurredAt);
}

internal sealed class FollowerUnsubscribedSuppression(ISuppressionList list, IOptionsMonitor<OfficialAccountOptions> accounts)
    : IConsumer<FollowerUnsubscribed>
{
    public Task Consume(ConsumeContext<FollowerUnsubscribed> context) => list.AddAsync(
        SuppressionScopes.Account(ConfiguredNames.Account(accounts.CurrentValue, context.Message.Account)), context.Message.OpenId,
        Unsubscribed, context.Message.OccurredAt);

    public const string Unsubscribed = "unsubscribed";
}

/// <summary>Following again lifts an unsubscribe, but not a block.</summary>
internal sealed class FollowerSubscribedSuppression(ISuppressionList list, IOptionsMonitor<OfficialAccountOptions> accounts)
    : IConsumer<FollowerSubscribed>
{
    public Task Consume(ConsumeContext<FollowerSubscribed> context) => list.RemoveAsync(
        SuppressionScopes.Account(ConfiguredNames.Account(accounts.CurrentValue, context.Message.Account)), context.Message.OpenId,
        context.Message.OccurredAt, onlyReason: FollowerUnsubscribedSuppression.Unsubscribed);
}

internal sealed class TemplateSendJobFinishedSuppression(ISuppressionList list, IOptionsMonitor<OfficialAccountOptions> accounts)
    : IConsumer<TemplateSendJobFinished>
{
    public Task Consume(ConsumeContext<TemplateSendJobFinished> context) => context.Message.Outcome == "user_blocked"
        ? list.AddAsync(SuppressionScopes.Account(ConfiguredNames.Account(accounts.CurrentValue, context.Message.Account)),
            context.Message.OpenId, "user-blocked", context.Message.OccurredAt)
        : Task.CompletedTask;
}

/// <summary>Bounded redelivery for a Redis hiccup; then MassTransit moves the message to the queue's _error queue.</summary>
internal sealed class SuppressionDefinition<T> : ConsumerDefinition<T> where T : class, IConsumer
{
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<T> consumer, IRegistrationContext context) =>
        endpoint.UseMessageRetry(r => r.Exponential(5, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(200)));
}
