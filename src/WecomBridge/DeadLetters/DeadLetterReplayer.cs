using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using WecomBridge.Messaging;

namespace WecomBridge.DeadLetters;

/// <summary>
/// Publishes a dead letter back to the queue it faulted on (the default exchange, routing key = the queue: only that
/// queue's consumers get it again, not every queue bound to the event's exchange), with its original properties, headers
/// and body, persistent and mandatory, and returns once the broker confirmed it. A queue that no longer exists returns
/// the message (<see cref="QueueGoneException"/>). One confirmed channel on the shared connection.
/// </summary>
internal sealed class DeadLetterReplayer(RabbitMqConnection connection) : IAsyncDisposable
{
    private readonly SemaphoreSlim _opening = new(1, 1);
    private IChannel? _channel;

    public async Task ReplayAsync(DeadLetter letter, CancellationToken ct)
    {
        var channel = await ChannelAsync(ct);
        var properties = new BasicProperties
        {
            Persistent = true,
            ContentType = letter.ContentType,
            Type = letter.MessageType,
            MessageId = letter.MessageId,
            CorrelationId = letter.CorrelationId,
            Headers = letter.Headers.Count == 0 ? null : AmqpHeaders.ToAmqp(letter.Headers),
        };
        try
        {
            await channel.BasicPublishAsync("", letter.Queue, mandatory: true, properties, letter.Body, ct);
        }
        catch (PublishException e) when (e.IsReturn)
        {
            throw new QueueGoneException(letter.Queue);
        }
    }

    private async Task<IChannel> ChannelAsync(CancellationToken ct)
    {
        if (_channel is { IsOpen: true } open) return open;
        var opened = await connection.OpenAsync(ct);
        await _opening.WaitAsync(ct);
        try
        {
            if (_channel is { IsOpen: true } again) return again;
            if (_channel is not null) try { await _channel.DisposeAsync(); } catch (Exception) { /* already gone */ }
            return _channel = await opened.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);
        }
        finally
        {
            _opening.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_channel is not null) try { await _channel.DisposeAsync(); } catch (Exception) { /* already gone */ }
        _opening.Dispose();
    }
}

/// <summary>The dead letter's queue does not exist on the broker (any more): the replay took nothing.</summary>
internal sealed class QueueGoneException(string queue) : Exception($"queue '{queue}' does not exist")
{
    public string Queue { get; } = queue;
}
