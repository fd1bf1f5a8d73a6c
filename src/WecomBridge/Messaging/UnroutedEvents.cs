using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using WecomBridge.Hosting;

namespace WecomBridge.Messaging;

/// <summary>
/// The catch-all for events that reached their exchange but no queue: the fanout exchange and durable queue
/// `{Messaging:EndpointPrefix}.unrouted`. Events are published mandatory; the broker returns one that no queue
/// took (no consumer bound yet, a broker rebuilt without its definitions) and it comes here, unchanged but for its
/// routing key, which names the exchange it was meant for. The publish completes only once the catch-all confirmed
/// it, so an event is never confirmed and dropped. Only this path declares the catch-all, and the queue only when
/// the exchange had none bound: nothing is added to the event exchanges (an `alternate-exchange` argument would make
/// every other declarer of them, MassTransit and CRMs, fail with 406), and an operator's own queue stays untouched.
/// With quorum queues (Messaging:QueueType) the catch-all queue is one too.
/// </summary>
internal sealed partial class UnroutedEvents(string endpointPrefix, ILogger logger, IMeterFactory? meters, bool quorum = false)
{
    private static readonly long WarnEvery = (long)TimeSpan.FromMinutes(1).TotalMilliseconds;
    private readonly ConcurrentDictionary<string, long> _warned = new();
    private readonly Counter<long>? _kept = meters?.Create(BridgeTelemetry.Name).CreateCounter<long>(
        "wecombridge.events.unrouted", description: "Events that reached no queue, kept in the catch-all queue, by exchange");

    public string Name { get; } = endpointPrefix + ".unrouted";

    /// <summary>
    /// Publishes a returned event to the catch-all; throws (the caller spools) when it too takes nothing.
    /// <paramref name="declared"/>: what was declared on this connection (the publisher clears it on a new one).
    /// </summary>
    public async Task PublishAsync(
        IChannel channel, ConcurrentDictionary<string, bool> declared, string exchange, BasicProperties properties, ReadOnlyMemory<byte> body,
        CancellationToken cancellationToken)
    {
        if (!declared.ContainsKey(Name))
        {
            await channel.ExchangeDeclareAsync(Name, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
            declared[Name] = true;
        }
        try
        {
            await channel.BasicPublishAsync(Name, exchange, mandatory: true, properties, body, cancellationToken);
        }
        catch (PublishException e) when (e.IsReturn)
        {
            // No queue on the catch-all exchange (first use on this broker, or the queue was deleted): declare it,
            // bind it and try once more; a second return fails the publish.
            await channel.QueueDeclareAsync(Name, durable: true, exclusive: false, autoDelete: false,
                quorum ? QueueArguments.Quorum() : null, cancellationToken: cancellationToken);
            await channel.QueueBindAsync(Name, Name, "", cancellationToken: cancellationToken);
            await channel.BasicPublishAsync(Name, exchange, mandatory: true, properties, body, cancellationToken);
        }
        _kept?.Add(1, new KeyValuePair<string, object?>("exchange", exchange));
        Warn(exchange);
    }

    /// <summary>Once a minute per exchange at most: on a fresh install every event of an unbound exchange comes here.</summary>
    private void Warn(string exchange)
    {
        var now = Environment.TickCount64;
        var last = _warned.GetOrAdd(exchange, long.MinValue);
        if (last != long.MinValue && now - last < WarnEvery) return;
        if (!_warned.TryUpdate(exchange, now, last)) return;
        Log.Unrouted(logger, exchange, Name);
    }

    private static partial class Log
    {
        [LoggerMessage(41, LogLevel.Warning,
            "Events of {Exchange} reach no queue: they go to the catch-all queue {Queue} (bind a queue to the exchange, then move them back)")]
        public static partial void Unrouted(ILogger logger, string exchange, string queue);
    }
}
