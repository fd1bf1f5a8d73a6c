using System.Collections.Concurrent;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace WecomBridge.Messaging;

/// <summary>
/// The gateway's publish path on RabbitMQ.Client: a few channels with publisher-confirm tracking, many
/// publishes in flight on each (the broker's fastest mode: many confirms in flight on a few channels beat one
/// channel per publish, docs/benchmarks.md).
/// Persistent messages, raw JSON, `type` = record name, `message_id` = event id. A broker that is away
/// fails a publish fast (no hidden buffering or retries), so the caller knows to spool it. Publishes written
/// before the socket's next send go to the broker in one write (<see cref="CoalescingTcpClient"/>).
/// Every publish is mandatory, which costs the broker no extra frame when it routes: an event no queue took goes
/// to the catch-all queue (<see cref="UnroutedEvents"/>), a command no queue took fails.
/// </summary>
/// <param name="commandPrefix">Messaging:EndpointPrefix: names the command exchanges and the catch-all queue.</param>
internal sealed partial class RabbitMqEventPublisher(Uri broker, ILogger<RabbitMqEventPublisher> logger,
    string commandPrefix = BridgeEntityNameFormatter.EventPrefix, System.Diagnostics.Metrics.IMeterFactory? meters = null)
    : IEventPublisher, IAsyncDisposable
{
    private const int Channels = 4;
    private static readonly TimeSpan ReconnectPause = TimeSpan.FromMilliseconds(500);
    private static readonly CreateChannelOptions Confirms = new(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true);

    private readonly SemaphoreSlim _connecting = new(1, 1);
    private readonly IChannel?[] _channels = new IChannel?[Channels];
    private readonly ConcurrentDictionary<string, bool> _declared = new();
    private readonly UnroutedEvents _unrouted = new(commandPrefix, logger, meters);
    private IConnection? _connection;
    private DateTime _nextConnectAttempt;
    private int _turn;

    /// <summary>The catch-all queue (and exchange) of events that reached no queue.</summary>
    public string UnroutedQueue => _unrouted.Name;

    public async Task PublishAsync(Type type, string eventId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var slot = (int)((uint)Interlocked.Increment(ref _turn) % Channels);
        var channel = _channels[slot] is { IsOpen: true } open ? open : await OpenChannelAsync(slot, cancellationToken);
        var exchange = BridgeEntityNameFormatter.ExchangeName(type, commandPrefix);
        try
        {
            if (!_declared.ContainsKey(exchange))
            {
                await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
                _declared[exchange] = true;
            }
            var properties = new BasicProperties
            {
                Persistent = true,
                ContentType = "application/json",
                Type = type.Name,
                MessageId = eventId,
                Timestamp = new AmqpTimestamp(DateTimeOffset.UtcNow.ToUnixTimeSeconds()),
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
        await _connecting.WaitAsync(cancellationToken);
        try
        {
            if (_channels[slot] is { IsOpen: true } open) return open;
            if (_connection is not { IsOpen: true })
            {
                if (DateTime.UtcNow < _nextConnectAttempt) throw new BrokerUnavailableException();
                _nextConnectAttempt = DateTime.UtcNow + ReconnectPause;
                if (_connection is not null) await DisposeConnectionAsync();
                var factory = new ConnectionFactory
                {
                    Uri = broker,
                    AutomaticRecoveryEnabled = false, // reconnect here, so that a publish never waits on recovery
                    RequestedConnectionTimeout = TimeSpan.FromSeconds(2),
                    ClientProvidedName = "wecombridge-events",
                    SocketFactory = CoalescingTcpClient.Create, // publishes that come together, one send
                };
                _connection = await factory.CreateConnectionAsync(cancellationToken);
                _declared.Clear();
                Log.Connected(logger, broker.Host, broker.Port);
            }
            if (_channels[slot] is { } broken) await broken.DisposeAsync();
            return _channels[slot] = await _connection.CreateChannelAsync(Confirms, cancellationToken);
        }
        finally
        {
            _connecting.Release();
        }
    }

    private async Task DisposeConnectionAsync()
    {
        for (var i = 0; i < Channels; i++)
        {
            if (_channels[i] is { } channel) try { await channel.DisposeAsync(); } catch (Exception) { /* already gone */ }
            _channels[i] = null;
        }
        try { await _connection!.DisposeAsync(); } catch (Exception) { /* already gone */ }
        _connection = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null) await DisposeConnectionAsync();
        _connecting.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(40, LogLevel.Information, "Event publisher connected to RabbitMQ at {Host}:{Port}")]
        public static partial void Connected(ILogger logger, string host, int port);
    }
}

/// <summary>The broker could not be reached a moment ago; the next attempt comes after a short pause.</summary>
internal sealed class BrokerUnavailableException() : Exception("RabbitMQ is unavailable");
