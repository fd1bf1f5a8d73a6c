using System.Collections.Concurrent;
using MassTransit;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using WecomBridge.Messaging;

namespace WecomBridge.Observability;

/// <summary>
/// The queues this app consumes (each receive endpoint, as it becomes ready), their `_error` queues and the catch-all
/// `{prefix}.unrouted`, and their depth read with a passive declare on the shared connection: no management plugin
/// and no permission beyond what the app already has. A queue that does not exist (no error yet) reads as empty.
/// </summary>
internal sealed class OwnQueues(IConfiguration configuration) : IReceiveEndpointObserver
{
    private readonly ConcurrentDictionary<string, bool> _consumed = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Names()
    {
        var names = new SortedSet<string>(StringComparer.Ordinal) { (configuration["Messaging:EndpointPrefix"] ?? "wecombridge") + ".unrouted" };
        foreach (var queue in _consumed.Keys)
        {
            names.Add(queue);
            names.Add(queue + "_error");
        }
        return names.ToArray();
    }

    /// <summary>Messages ready and consumers of each queue; null when the broker is away.</summary>
    public async Task<IReadOnlyList<(string Queue, long Messages, long Consumers)>?> SampleAsync(RabbitMqConnection broker, CancellationToken ct)
    {
        IConnection connection;
        try
        {
            connection = await broker.OpenAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null;
        }
        var depths = new List<(string, long, long)>();
        IChannel? channel = null;
        try
        {
            foreach (var queue in Names())
            {
                channel ??= await connection.CreateChannelAsync(cancellationToken: ct);
                try
                {
                    var ok = await channel.QueueDeclarePassiveAsync(queue, ct);
                    depths.Add((queue, ok.MessageCount, ok.ConsumerCount));
                }
                catch (OperationInterruptedException) // 404: not declared (yet); the broker closed the channel
                {
                    depths.Add((queue, 0, 0));
                    await channel.DisposeAsync();
                    channel = null;
                }
            }
        }
        finally
        {
            if (channel is not null) await channel.DisposeAsync();
        }
        return depths;
    }

    public Task Ready(ReceiveEndpointReady ready)
    {
        if (ready.InputAddress.Segments is [.., { } last] && last.Trim('/') is { Length: > 0 } queue) _consumed[queue] = true;
        return Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

    public Task Faulted(ReceiveEndpointFaulted faulted) => Task.CompletedTask;
}
