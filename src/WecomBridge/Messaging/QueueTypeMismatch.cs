using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using MassTransit;

namespace WecomBridge.Messaging;

/// <summary>
/// A queue of the app that exists on the broker with another type than Messaging:QueueType asks for (a classic queue
/// from before a move to quorum queues, or the reverse). RabbitMQ cannot change a queue's type in place and refuses the
/// declare (406 PRECONDITION_FAILED) and MassTransit would retry it forever with a stack trace each time. This turns
/// the first refusal into one line that says what to do, logged and written to stderr, and stops the app with exit
/// code 1, as a wrong setting does: an instance whose queues cannot be declared would never consume.
/// </summary>
internal sealed partial class QueueTypeMismatch(ILogger<QueueTypeMismatch> logger, IHostApplicationLifetime lifetime) : IReceiveEndpointObserver
{
    private readonly ConcurrentDictionary<string, bool> _told = new(StringComparer.Ordinal);

    [GeneratedRegex(@"inequivalent arg '(?:x-queue-type|x-dead-letter-strategy|x-overflow)' for queue '(?<queue>[^']*)'")]
    private static partial Regex Refusal();

    /// <summary>The queue a type mismatch was refused for (anywhere in the chain of exceptions), else null.</summary>
    public static string? QueueOf(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (Refusal().Match(e.Message) is { Success: true } match) return match.Groups["queue"].Value;
            if (e is AggregateException aggregate)
                foreach (var inner in aggregate.InnerExceptions)
                    if (QueueOf(inner) is { } queue) return queue;
        }
        return null;
    }

    /// <summary>What to tell the operator about <paramref name="exception"/>, when it is a type mismatch.</summary>
    public static string? Describe(Exception? exception) => QueueOf(exception) is { } queue
        ? $"RabbitMQ queue '{queue}' exists with another type (classic or quorum) than Messaging:QueueType asks for, and a queue's type cannot "
          + "change in place: give this deployment a new Messaging:EndpointPrefix (and Enrichment:QueuePrefix), or drain the old queues and "
          + "delete them, then start again (docs/deployment.md, \"Moving from classic to quorum queues\")"
        : null;

    public Task Faulted(ReceiveEndpointFaulted faulted)
    {
        if (QueueOf(faulted.Exception) is not { } queue || !_told.TryAdd(queue, true)) return Task.CompletedTask;
        var reason = Describe(faulted.Exception)!;
        Log.Mismatch(logger, reason);
        if (_told.Count > 1) return Task.CompletedTask;
        Console.Error.WriteLine($"WecomBridge: {reason}");
        Environment.ExitCode = 1;
        // Once started (at once when it is): a stop while the host still starts fails the start with a stack trace.
        lifetime.ApplicationStarted.Register(lifetime.StopApplication);
        return Task.CompletedTask;
    }

    public Task Ready(ReceiveEndpointReady ready) => Task.CompletedTask;
    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;
    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(42, LogLevel.Error, "{Reason}")]
        public static partial void Mismatch(ILogger logger, string reason);
    }
}
