using Microsoft.Extensions.Options;

namespace WecomBridge.Messaging;

/// <summary>
/// "Messaging": the RabbitMQ nodes to connect to and the type of the app's own queues (docs/deployment.md,
/// "RabbitMQ cluster"). `ConnectionStrings:RabbitMq` stays one URI: it gives the user, password, vhost and TLS, and its
/// host is the node when <see cref="Hosts"/> is empty.
/// </summary>
public sealed class MessagingOptions
{
    public const string Section = "Messaging";

    /// <summary>
    /// The nodes of a cluster, each `host` or `host:port` (port of the connection string's URI when left out). Set, they
    /// replace the URI's host: a connection goes to one of them and, when it fails, to the next.
    /// </summary>
    public List<string> Hosts { get; set; } = [];

    /// <summary>The type of the queues the app declares; unset: quorum with two nodes or more in <see cref="Hosts"/>, else classic.</summary>
    public QueueType? QueueType { get; set; }

    /// <summary>What <see cref="QueueType"/> comes to.</summary>
    public QueueType EffectiveQueueType => QueueType ?? (Hosts.Count > 1 ? Messaging.QueueType.Quorum : Messaging.QueueType.Classic);
}

/// <summary>Classic: one node holds a queue. Quorum: replicated on a majority of the cluster (Raft); survives the loss of a minority.</summary>
public enum QueueType
{
    Classic,
    Quorum,
}

internal sealed class MessagingOptionsValidator(IConfiguration configuration) : IValidateOptions<MessagingOptions>
{
    public ValidateOptionsResult Validate(string? name, MessagingOptions options)
    {
        var errors = new List<string>();
        for (var i = 0; i < options.Hosts.Count; i++)
            if (RabbitMqBroker.ParseNode(options.Hosts[i]) is null)
                errors.Add($"Messaging:Hosts:{i} must be host or host:port (port 1–65535), e.g. rabbitmq-1.internal:5672");
        if (options.Hosts.Count > 0 && !configuration.UsesRabbitMq())
            errors.Add("Messaging:Hosts needs ConnectionStrings:RabbitMq (it gives the user, password and vhost)");
        if (options.Hosts.Count > 16) errors.Add("Messaging:Hosts must list at most 16 nodes");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
