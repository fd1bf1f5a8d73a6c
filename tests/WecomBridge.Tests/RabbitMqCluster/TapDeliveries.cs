using System.Text;
using System.Text.Json;
using RabbitMQ.Client;

namespace WecomBridge.Tests.RabbitMqCluster;

/// <summary>
/// Reads a queue the way a consumer that acknowledges each message does (basic.get, then an ack), keeping per delivery
/// the body and what the broker says of it: the redelivered flag and the quorum queue's x-delivery-count. So a drill can
/// tell a message published twice (two deliveries, neither redelivered) from one the queue delivered again.
/// </summary>
internal sealed class TapDeliveries : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly string _queue;
    private readonly List<TapDelivery> _deliveries = [];

    private TapDeliveries(IConnection connection, IChannel channel, string queue) => (_connection, _channel, _queue) = (connection, channel, queue);

    public static async Task<TapDeliveries> OpenAsync(string brokerUri, string queue)
    {
        var connection = await new ConnectionFactory { Uri = new Uri(brokerUri) }.CreateConnectionAsync();
        return new TapDeliveries(connection, await connection.CreateChannelAsync(), queue);
    }

    /// <summary>Reads and acknowledges what is on the queue now; returns every delivery read so far.</summary>
    public async Task<IReadOnlyList<TapDelivery>> ReadAsync()
    {
        while (await _channel.BasicGetAsync(_queue, autoAck: false) is { } message)
        {
            var body = JsonDocument.Parse(Encoding.UTF8.GetString(message.Body.Span)).RootElement.Clone();
            var count = message.BasicProperties.Headers?.TryGetValue("x-delivery-count", out var c) == true ? Convert.ToInt64(c) : 0;
            _deliveries.Add(new TapDelivery(body, message.Redelivered, count));
            await _channel.BasicAckAsync(message.DeliveryTag, multiple: false);
        }
        return _deliveries;
    }

    public async ValueTask DisposeAsync()
    {
        try { await _channel.QueueDeleteAsync(_queue); } catch (Exception) { /* the broker may be gone */ }
        try { await _channel.DisposeAsync(); await _connection.DisposeAsync(); } catch (Exception) { /* idem */ }
    }
}

/// <param name="Body">The message as JSON.</param>
/// <param name="Redelivered">The broker delivered it before (to a consumer that did not acknowledge it).</param>
/// <param name="DeliveryCount">x-delivery-count of a quorum queue (0 on a first delivery).</param>
internal sealed record TapDelivery(JsonElement Body, bool Redelivered, long DeliveryCount)
{
    public string EventId => Body.GetProperty("eventId").GetString()!;
}
