using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace WecomBridge.Messaging;

/// <summary>
/// Publishes the app's messages (normalized events, and the send API's commands) on RabbitMQ.Client with
/// confirms: a few channels of the shared <see cref="RabbitMqConnection"/> with publisher-confirm tracking, many
/// publishes in flight on each (many confirms in flight on a few channels beat one channel per publish).
/// Persistent messages, raw JSON, `type` = record name, `message_id` = event id. A broker that is away
/// fails a publish fast (no hidden buffering or retries), so the caller knows to spool it.
/// Every publish is mandatory, which costs the broker no extra frame when it routes: an event no queue took goes
/// to the catch-all queue (<see cref="UnroutedEvents"/>), a command no queue took fails.
/// </summary>
internal sealed class RabbitMqMessagePublisher : IMessagePublisher, IAsyncDisposable
{
    private const int Channels = 4;
    private static readonly CreateChannelOptions Confirms = new(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true);

    private readonly RabbitMqConnection _connection;
    private readonly bool _ownsConnection;
    private readonly string _commandPrefix;
    private readonly SemaphoreSlim _opening = new(1, 1);
    private readonly IChannel?[] _channels = new IChannel?[Channels];
    private readonly ConcurrentDictionary<string, bool> _declared = new();
    private readonly UnroutedEvents _unrouted;
    private IConnection? _channelsOf;
    private int _turn;

    /// <param name="commandPrefix">Messaging:EndpointPrefix: names the command exchanges and the catch-all queue.</param>
    /// <param name="quorum">The catch-all queue is a quorum queue (Messaging:QueueType).</param>
    public RabbitMqMessagePublisher(RabbitMqConnection connection, ILogger<RabbitMqMessagePublisher> logger,
        string commandPrefix = BridgeEntityNameFormatter.EventPrefix, IMeterFactory? meters = null, bool quorum = false)
    {
        _connection = connection;
        _commandPrefix = commandPrefix;
        _unrouted = new UnroutedEvents(commandPrefix, logger, meters, quorum);
    }

    /// <summary>A publisher with a connection of its own (tools and tests).</summary>
    public RabbitMqMessagePublisher(Uri broker, ILogger<RabbitMqMessagePublisher> logger,
        string commandPrefix = BridgeEntityNameFormatter.EventPrefix, IMeterFactory? meters = null)
        : this(new RabbitMqConnection(broker, logger), logger, commandPrefix, meters) => _ownsConnection = true;

    /// <summary>The connection the publishes go through.</summary>
    public RabbitMqConnection Connection => _connection;

    /// <summary>The catch-all queue (and exchange) of events that reached no queue.</summary>
    public string UnroutedQueue => _unrouted.Name;

    public async Task PublishAsync(Type type, string eventId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var slot = (int)((uint)Interlocked.Increment(ref _turn) % Channels);
        var channel = _channels[slot] is { IsOpen: true } open ? open : await OpenChannelAsync(slot, cancellationToken);
        var exchange = BridgeEntityNameFormatter.ExchangeName(type, _commandPrefix);
        // Recorded only with an exporter; the headers carry the caller's context either way (docs/tracing.md).
        using var activity = Hosting.BridgeTelemetry.Source.StartActivity("publish", System.Diagnostics.ActivityKind.Producer);
        activity?.SetTag("messaging.destination.name", exchange);
        try
        {
            if (!_declared.ContainsKey(exchange))
            {
                await channel.ExchangeDeclareAsync(
                    exchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
                _declared[exchange] = true;
            }
            var properties = new BasicProperties
            {
                Persistent = true,
                ContentType = "application/json",
                Type = type.Name,
                MessageId = eventId,
                Timestamp = new AmqpTimestamp(DateTimeOffset.UtcNow.ToUnixTimeSeconds()),
                Headers = Observability.Tracing.TraceContext.Inject(null),
            };
            try
            {
                await channel.BasicPublishAsync(exchange, "", mandatory: true, properties, body, cancellationToken);
            }
            // A command must reach a dispatcher's queue: its return fails the publish (PublishException). An event
            // may go to an exchange nobody reads yet: it is kept in the catch-all queue, and confirmed only there.
            catch (PublishException e) when (e.IsReturn && !BridgeEntityNameFormatter.IsCommand(type))
            {
                await _unrouted.PublishAsync(channel, _declared, exchange, properties, body, cancellationToken);
            }
        }
        catch (Exception) when (!channel.IsOpen)
        {
            _declared.Clear(); // a broker that lost its data lost the exchanges too
            throw;
        }
    }

    private async Task<IChannel> OpenChannelAsync(int slot, CancellationToken cancellationToken)
    {
        var connection = await _connection.OpenAsync(cancellationToken);
        await _opening.WaitAsync(cancellationToken);
        try
        {
            if (!ReferenceEquals(connection, _channelsOf))
            {
                await DisposeChannelsAsync(); // channels of a closed connection
                _declared.Clear();            // a new connection may be to a broker that lost its exchanges
                _channelsOf = connection;
            }
            if (_channels[slot] is { IsOpen: true } open) return open;
            if (_channels[slot] is { } broken) try { await broken.DisposeAsync(); } catch (Exception) { /* already gone */ }
            return _channels[slot] = await connection.CreateChannelAsync(Confirms, cancellationToken);
        }
        finally
        {
            _opening.Release();
        }
    }

    private async Task DisposeChannelsAsync()
    {
        for (var i = 0; i < Channels; i++)
        {
            if (_channels[i] is { } channel) try { await channel.DisposeAsync(); } catch (Exception) { /* already gone */ }
            _channels[i] = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DisposeChannelsAsync();
        if (_ownsConnection) await _connection.DisposeAsync();
        _opening.Dispose();
    }
}
