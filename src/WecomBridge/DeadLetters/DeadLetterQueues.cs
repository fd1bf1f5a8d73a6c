using System.Collections.Concurrent;
using MassTransit;

namespace WecomBridge.DeadLetters;

/// <summary>
/// The queues whose `_error` queues this instance collects: every receive endpoint of its bus (enrichment, sends,
/// welcomes, suppression, pool), learnt as each becomes ready, so that a consumer added later is covered without a
/// list to keep. The bus's own temporary endpoint is left out. Instances of other roles collect their own queues.
/// </summary>
internal sealed class DeadLetterQueues : IReceiveEndpointObserver
{
    private readonly ConcurrentDictionary<string, byte> _queues = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Names => _queues.Keys.Order(StringComparer.Ordinal).ToList();

    public void Add(string queue) => _queues[queue] = 0;

    /// <summary>The queue of an endpoint's address (`rabbitmq://host/vhost/queue?…`, `loopback://localhost/queue`); null when temporary.</summary>
    public static string? QueueOf(Uri address)
    {
        if (address.Query.Contains("temporary=true", StringComparison.OrdinalIgnoreCase)) return null;
        var name = address.AbsolutePath.TrimEnd('/').Split('/')[^1];
        return name.Length == 0 || name.EndsWith(DeadLetter.ErrorSuffix, StringComparison.Ordinal) ? null : Uri.UnescapeDataString(name);
    }

    public Task Ready(ReceiveEndpointReady ready)
    {
        if (QueueOf(ready.InputAddress) is { } queue) Add(queue);
        return Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;
    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;
    public Task Faulted(ReceiveEndpointFaulted faulted) => Task.CompletedTask;
}
