using MassTransit;
using WecomBridge.Contracts.Pool;
using WecomBridge.Pool;

namespace WecomBridge.Journeys.Triggers;

/// <summary>
/// Enrols a contact whose lifecycle stage changed (the pool's ContactStageChanged, from an interaction or the stage
/// pass) in the corp's active stageChanged journeys of that stage, through the member who added it first. The event id
/// is the source: a redelivery enrols nobody twice.
/// </summary>
internal sealed class JourneyStageConsumer(JourneyTriggers triggers, IPoolStore pool) : IConsumer<ContactStageChanged>
{
    public async Task Consume(ConsumeContext<ContactStageChanged> context)
    {
        var m = context.Message;
        if (string.IsNullOrEmpty(m.EventId) || string.IsNullOrEmpty(m.Corp) || string.IsNullOrEmpty(m.ExternalUserId)) return;
        var contact = await pool.GetContactAsync(m.Corp, m.ExternalUserId, context.CancellationToken);
        var member = contact?.Relations.Where(r => r.DeletedAt is null).OrderBy(r => r.AddedAt).FirstOrDefault()?.UserId;
        await triggers.EnrolAsync(m.Corp, JourneyTriggerKinds.StageChanged, t => t.Stage == m.Stage, m.ExternalUserId, member, m.EventId,
            context.CancellationToken);
    }
}

/// <summary>The queue `{Messaging:EndpointPrefix}.journeys.contact-stage-changed`, bound to ContactStageChanged's exchange.</summary>
internal sealed class JourneyStageConsumerDefinition : ConsumerDefinition<JourneyStageConsumer>
{
    public JourneyStageConsumerDefinition(IConfiguration configuration) =>
        EndpointName = $"{configuration["Messaging:EndpointPrefix"] ?? "wecombridge"}.journeys.contact-stage-changed";

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<JourneyStageConsumer> consumer,
        IRegistrationContext context) =>
        endpoint.UseMessageRetry(retry => retry.Exponential(5, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10),
            TimeSpan.FromMilliseconds(200)));
}
