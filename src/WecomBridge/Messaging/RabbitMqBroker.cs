using RabbitMQ.Client;

namespace WecomBridge.Messaging;

/// <summary>
/// Where the app's RabbitMQ is: the connection string's URI (user, password, vhost, TLS), the nodes to connect to
/// (`Messaging:Hosts`, else the URI's host) and whether the app's own queues are quorum queues (`Messaging:QueueType`).
/// Read once at start, for MassTransit's connection and the app's own (<see cref="RabbitMqConnection"/>) alike.
/// </summary>
/// <param name="Listed">The nodes come from Messaging:Hosts (MassTransit gets them as its cluster), not from the URI.</param>
internal sealed record RabbitMqBroker(Uri Uri, IReadOnlyList<AmqpTcpEndpoint> Nodes, bool Quorum, bool Listed = false)
{
    /// <summary>A single node at <paramref name="uri"/>, classic queues (tools and tests).</summary>
    public RabbitMqBroker(Uri uri) : this(uri, [Endpoint(uri, uri.Host, uri.Port)], Quorum: false) { }

    /// <summary>The broker of ConnectionStrings:RabbitMq and the Messaging section (validated on start; a node that does not parse is left
    /// out).</summary>
    public static RabbitMqBroker From(IConfiguration configuration)
    {
        var uri = new Uri(configuration.GetConnectionString("RabbitMq")!);
        var options = configuration.GetSection(MessagingOptions.Section).Get<MessagingOptions>() ?? new MessagingOptions();
        var nodes = options.Hosts.Select(ParseNode).OfType<(string Host, int Port)>()
            .Select(n => Endpoint(uri, n.Host, n.Port == -1 ? uri.Port : n.Port)).ToList();
        return new RabbitMqBroker(uri, nodes.Count > 0 ? nodes : [Endpoint(uri, uri.Host, uri.Port)],
            options.EffectiveQueueType == QueueType.Quorum, Listed: nodes.Count > 0);
    }

    /// <summary>`host` or `host:port` (IPv6 in brackets); port -1 when left out; null when it is neither.</summary>
    public static (string Host, int Port)? ParseNode(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Contains('/') || value.Contains('@')) return null;
        if (!Uri.TryCreate("tcp://" + value.Trim(), UriKind.Absolute, out var u) || u.Host.Length == 0) return null;
        if (u.Query.Length > 0 || u.Fragment.Length > 0) return null;
        return (u.DnsSafeHost, u.IsDefaultPort ? -1 : u.Port);
    }

    /// <summary>For logs: scheme, nodes and vhost; never the user or password.</summary>
    public string Describe() =>
        $"{Uri.Scheme}://{string.Join(",", Nodes.Select(n => $"{n.HostName}:{n.Port}"))}{Uri.AbsolutePath}"
        + (Quorum ? " (quorum queues)" : "");

    private static AmqpTcpEndpoint Endpoint(Uri uri, string host, int port)
    {
        var tls = string.Equals(uri.Scheme, "amqps", StringComparison.OrdinalIgnoreCase);
        return new AmqpTcpEndpoint(host, port, new SslOption(host, enabled: tls));
    }
}
