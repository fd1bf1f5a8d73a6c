using MassTransit;
using WecomBridge.Contracts.Contacts;
using WecomBridge.Contracts.Followers;

namespace WecomBridge.Sending.Suppression;

// Keep the suppression list from the events the gateway publishes. One consumer (so one queue) per event
// type: raw JSON carries no MassTransit type header, so a queue must only ever receive one type.

internal sealed class FollowUserDeletedSuppression(ISuppressionList list) : IConsumer<FollowUserDeleted>
{
    public Task Consume(ConsumeContext<FollowUserDeleted> context) => list.AddAsync(
        SuppressionScopes.WeCom(context.Message.Corp), SuppressionScopes.Pair(context.Message.UserId, context.Message.ExternalUserId),
        "customer-deleted-employee", context.Message.OccurredAt);
}

internal sealed class ExternalContactDeletedSuppression(ISuppressionList list) : IConsumer<ExternalContactDeleted>
{
    public Task Consume(ConsumeContext<ExternalContactDeleted> context) => list.AddAsync(
        SuppressionScopes.WeCom(context.Message.Corp), SuppressionScopes.Pair(context.Message.UserId, context.Message.ExternalUserId),
        "employee-deleted-customer", context.Message.OccurredAt);
}

/// <summary>Added again: the pair may be messaged again.</summary>
internal sealed class ExternalContactAddedSuppression(ISuppressionList list) : IConsumer<ExternalContactAdded>
{
    public Task Consume(ConsumeContext<ExternalContactAdded> context) => list.RemoveAsync(
        SuppressionScopes.WeCom(context.Message.Corp), SuppressionScopes.Pair(context.Message.UserId, context.Message.ExternalUserId));
}

internal sealed class FollowerUnsubscribedSuppression(ISuppressionList list) : IConsumer<FollowerUnsubscribed>
{
    public Task Consume(ConsumeContext<FollowerUnsubscribed> context) => list.AddAsync(
        SuppressionScopes.Account(context.Message.Account), context.Message.OpenId, "unsubscribed", context.Message.OccurredAt);
}

/// <summary>Following again lifts an unsubscribe, but not a block.</summary>
internal sealed class FollowerSubscribedSuppression(ISuppressionList list) : IConsumer<FollowerSubscribed>
{
    public async Task Consume(ConsumeContext<FollowerSubscribed> context)
    {
        var scope = SuppressionScopes.Account(context.Message.Account);
        if (await list.FindAsync(scope, context.Message.OpenId) is { Reason: "unsubscribed" })
            await list.RemoveAsync(scope, context.Message.OpenId);
    }
}

internal sealed class TemplateSendJobFinishedSuppression(ISuppressionList list) : IConsumer<TemplateSendJobFinished>
{
    public Task Consume(ConsumeContext<TemplateSendJobFinished> context) => context.Message.Outcome == "user_blocked"
        ? list.AddAsync(SuppressionScopes.Account(context.Message.Account), context.Message.OpenId, "user-blocked", context.Message.OccurredAt)
        : Task.CompletedTask;
}

/// <summary>Bounded redelivery for a Redis hiccup; then MassTransit moves the message to the queue's _error queue.</summary>
internal sealed class SuppressionDefinition<T> : ConsumerDefinition<T> where T : class, IConsumer
{
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<T> consumer, IRegistrationContext context) =>
        endpoint.UseMessageRetry(r => r.Exponential(5, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(200)));
}
