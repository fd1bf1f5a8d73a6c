using RabbitMQ.Client;

namespace WecomBridge.Messaging;

/// <summary>
/// The one RabbitMQ.Client connection of the app, shared by the publisher, the send delays and the readiness check
/// (MassTransit keeps its own). Its socket is a <see cref="CoalescingTcpClient"/>: what the client writes while a
/// send is under way goes in the next single `send`. No automatic recovery: a caller that finds the connection
/// closed reconnects here, at most once per <see cref="ReconnectPause"/>; in between, and when the broker does not
/// answer within 2 s, it fails fast with <see cref="BrokerUnavailableException"/>, so that a publish never waits on
/// recovery and the caller can spool instead. With several nodes (Messaging:Hosts) a connect tries them in turn
/// (RabbitMQ.Client's endpoint list, in random order so that instances spread) and takes the first that answers.
/// </summary>
/// <param name="coalesce">False (Messaging:CoalesceSocketWrites=false): RabbitMQ.Client's own socket, each write its own send.</param>
internal sealed partial class RabbitMqConnection(RabbitMqBroker broker, ILogger logger, bool coalesce = true) : IAsyncDisposable
{
    /// <summary>One node at <paramref name="broker"/> (tools and tests).</summary>
    public RabbitMqConnection(Uri broker, ILogger logger, bool coalesce = true) : this(new RabbitMqBroker(broker), logger, coalesce) { }

    public static readonly TimeSpan ReconnectPause = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _connecting = new(1, 1);
    private IConnection? _connection;
    private CoalescingTcpClient? _socket;
    private DateTime _nextConnectAttempt;

    /// <summary>The node of the open connection; null when there is none.</summary>
    public AmqpTcpEndpoint? Node => _connection is { IsOpen: true } open ? open.Endpoint : null;

    /// <summary>The stream of the current connection's socket (for tests): null until RabbitMQ.Client asked for one.</summary>
    public CoalescingStream? Stream => _socket?.Stream;

    /// <summary>The open connection, or a new one; throws when the broker is away.</summary>
    public async Task<IConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (_connection is { IsOpen: true } open) return open;
        await _connecting.WaitAsync(cancellationToken);
        try
        {
            return await ConnectLockedAsync(cancellationToken);
        }
        finally
        {
            _connecting.Release();
        }
    }

    /// <summary>
    /// For the readiness check: the open connection, or a new one unless someone is connecting already (then it
    /// fails at once instead of queueing behind, or ahead of, a publisher's reconnect).
    /// </summary>
    public async Task<IConnection> OpenOrFailAsync()
    {
        if (_connection is { IsOpen: true } open) return open;
        if (!await _connecting.WaitAsync(TimeSpan.Zero)) throw new BrokerUnavailableException();
        try
        {
            return await ConnectLockedAsync(CancellationToken.None);
        }
        finally
        {
            _connecting.Release();
        }
    }

    private async Task<IConnection> ConnectLockedAsync(CancellationToken cancellationToken)
    {
        if (_connection is { IsOpen: true } open) return open;
        if (DateTime.UtcNow < _nextConnectAttempt) throw new BrokerUnavailableException();
        _nextConnectAttempt = DateTime.UtcNow + ReconnectPause;
        if (_connection is not null)
        {
            try { await _connection.DisposeAsync(); } catch (Exception) { /* already gone */ }
            _connection = null;
        }
        var factory = new ConnectionFactory
        {
            Uri = broker.Uri,
            AutomaticRecoveryEnabled = false,
            RequestedConnectionTimeout = ConnectTimeout,
            ClientProvidedName = "wecombridge-messaging",
        };
        if (coalesce) factory.SocketFactory = family => _socket = new CoalescingTcpClient(ConnectionFactoryBase.DefaultSocketFactory(family));
        _connection = await factory.CreateConnectionAsync(broker.Nodes, factory.ClientProvidedName, cancellationToken);
        Log.Connected(logger, _connection.Endpoint.HostName, _connection.Endpoint.Port);
        return _connection;
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
            try { await _connection.DisposeAsync(); } catch (Exception) { /* already gone */ }
        _connection = null;
    }

    private static partial class Log
    {
        [LoggerMessage(40, LogLevel.Information, "Connected to RabbitMQ at {Host}:{Port}")]
        public static partial void Connected(ILogger logger, string host, int port);
    }
}

/// <summary>The broker could not be reached a moment ago; the next attempt comes after a short pause.</summary>
internal sealed class BrokerUnavailableException() : Exception("RabbitMQ is unavailable");
