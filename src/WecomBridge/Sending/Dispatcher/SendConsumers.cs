using MassTransit;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using WecomBridge.Contracts.Sending;
using WecomBridge.Messaging;
using WecomBridge.OfficialAccount;
using WecomBridge.Sending.Audience;
using WecomBridge.Sending.Welcome;
using WecomBridge.WeCom;

namespace WecomBridge.Sending.Dispatcher;

internal sealed partial class SendRequestedConsumer(SendWork work, AudienceExpansion audience, SendResults results, ISendScheduler scheduler,
    IOptionsMonitor<WeComOptions> wecom, IOptionsMonitor<OfficialAccountOptions> accounts, ILogger<SendRequestedConsumer> logger,
    IHostApplicationLifetime lifetime) : IConsumer<SendRequested>
{
    /// <summary>How long a command waits on the broker while Redis stays away after the retries in place.</summary>
    public static readonly TimeSpan RedisAwayDelay = TimeSpan.FromSeconds(5);

    public async Task Consume(ConsumeContext<SendRequested> context)
    {
        // Not cut by the loss of the broker's node: a call cut mid-way would leave the send ambiguous (ConsumeCancellation).
        using var cancellation = new ConsumeCancellation(context.CancellationToken, lifetime.ApplicationStopping);
        try
        {
            var send = ConfiguredNames.Of(context.Message, wecom.CurrentValue, accounts.CurrentValue);
            // A customer task with an audience is expanded into tasks per member, each then sent as any customer task.
            if (AudienceExpansion.Expands(send)) await audience.RunAsync(send, cancellation.Token);
            else await work.RunAsync(send, cancellation.Token);
        }
        catch (Exception e) when (IsRedisAway(e) && context.GetRetryAttempt() >= SendRequestedDefinition.RetriesInPlace)
        {
            var id = context.Message.MessageId;
            Log.RedisAway(logger, id, e.GetType().Name);
            if (results.HasUnsaved(id))
            {
                // Its call was made here and only this process knows the outcome: the command stays here, unacknowledged,
                // until the outcome is stored, so that no other instance claims it on an empty Redis and sends it again.
                await HoldUntilStoredAsync(id, cancellation.Token);
                return;
            }
            // No status can be read or kept: the command waits through delayed redelivery (RabbitMQ only), never
            // on the _error queue, and comes back until Redis answers.
            await scheduler.ScheduleAsync(context.Message, RedisAwayDelay, cancellation.Token);
        }
    }

    private async Task HoldUntilStoredAsync(string messageId, CancellationToken ct)
    {
        while (true)
        {
            await Task.Delay(RedisAwayDelay, ct);
            try
            {
                await results.FinishUnsavedAsync(messageId);
                return;
            }
            catch (LeaseLostException) // another instance took the send over meanwhile: its outcome stands
            {
                return;
            }
            catch (Exception e) when (IsRedisAway(e))
            {
                Log.HoldingOutcome(logger, messageId);
            }
        }
    }

    private static bool IsRedisAway(Exception e) => e is RedisException or TimeoutException;

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Send {MessageId}: Redis unavailable ({Error}); the command waits and comes back")]
        public static partial void RedisAway(ILogger logger, string messageId, string error);

        [LoggerMessage(2, LogLevel.Warning, "Send {MessageId}: Redis still unavailable; its outcome is kept here until it is stored")]
        public static partial void HoldingOutcome(ILogger logger, string messageId);
    }
}

/// <summary>The send queue's name: the delay queues dead-letter into it.</summary>
internal static class SendQueues
{
    public static string Prefix(IConfiguration configuration) => configuration["Messaging:EndpointPrefix"] ?? "wecombridge";
    public static string Send(IConfiguration configuration) => Prefix(configuration) + "-send-requested";
}

/// <summary>
/// The send queue: <see cref="DispatchOptions.ConcurrentSends"/> at a time. Redis or broker hiccups are retried in
/// place a few times (Redis still away after that: the consumer defers the command, or holds it while it keeps an
/// outcome); a dead-lettered send (retry budget spent) faults at once, so MassTransit moves the command to
/// `{queue}_error` with its reason. Retries of WeCom failures never happen here: they go through delayed redelivery.
/// </summary>
internal sealed class SendRequestedDefinition : ConsumerDefinition<SendRequestedConsumer>
{
    /// <summary>Retries in place of a Redis or broker hiccup (about 2 s in all).</summary>
    public const int RetriesInPlace = 3;

    private readonly DispatchOptions _options;

    public SendRequestedDefinition(IConfiguration configuration, IOptions<DispatchOptions> options)
    {
        _options = options.Value;
        EndpointName = SendQueues.Send(configuration);
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<SendRequestedConsumer> consumer,
        IRegistrationContext context)
    {
        endpoint.ConcurrentMessageLimit = _options.ConcurrentSends;
        endpoint.PrefetchCount = _options.ConcurrentSends * 2;
        endpoint.UseMessageRetry(r =>
        {
            r.Incremental(RetriesInPlace, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(500));
            r.Handle<RedisException>();
            r.Handle<TimeoutException>();
            r.Handle<RabbitMQ.Client.Exceptions.RabbitMQClientException>();
        });
    }
}

/// <summary>The priority path's queues: their own consumers and concurrency, so no other send delays a welcome.</summary>
internal sealed class WelcomeDefinition<T> : ConsumerDefinition<T> where T : class, IConsumer
{
    private readonly DispatchOptions _options;

    public WelcomeDefinition(IConfiguration configuration, IOptions<DispatchOptions> options)
    {
        _options = options.Value;
        EndpointName = SendQueues.Prefix(configuration)
            + (typeof(T) == typeof(WelcomeRequestedConsumer) ? "-welcome-requested" : "-welcome-on-contact-added");
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<T> consumer, IRegistrationContext context)
    {
        endpoint.ConcurrentMessageLimit = _options.ConcurrentWelcomes;
        endpoint.PrefetchCount = _options.ConcurrentWelcomes * 2;
        endpoint.UseMessageRetry(r =>
        {
            r.Immediate(2);
            r.Handle<RedisException>();
            r.Handle<TimeoutException>();
        });
    }
}
