using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace WecomBridge.Tests.Messaging;

/// <summary>A plain AMQP connection for looking at the broker as an operator would.</summary>
internal sealed class Broker : IAsyncDisposable
{
    private readonly IConnection _connection;

    private Broker(IConnection connection, IChannel channel) => (_connection, Channel) = (connection, channel);

    public IChannel Channel { get; }

    public static async Task<Broker> OpenAsync(string uri)
    {
        var connection = await new ConnectionFactory { Uri = new Uri(uri) }.CreateConnectionAsync();
        return new Broker(connection, await connection.CreateChannelAsync());
    }

    /// <summary>Takes every message on the queue now.</summary>
    public async Task<IReadOnlyList<BasicGetResult>> DrainAsync(string queue)
    {
        var messages = new List<BasicGetResult>();
        while (await Channel.BasicGetAsync(queue, autoAck: true) is { } message) messages.Add(message);
        return messages;
    }

    /// <summary>On a channel of its own: a passive declare of a missing queue closes its channel.</summary>
    public async Task<bool> QueueExistsAsync(string queue)
    {
        await using var channel = await _connection.CreateChannelAsync();
        try
        {
            await channel.QueueDeclarePassiveAsync(queue);
            return true;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
