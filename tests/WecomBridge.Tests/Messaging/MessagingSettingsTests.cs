using Microsoft.Extensions.Configuration;
using WecomBridge.Messaging;
using WecomBridge.Tests.Hosting;

namespace WecomBridge.Tests.Messaging;

/// <summary>
/// ConnectionStrings:RabbitMq stays one URI; Messaging:Hosts lists the nodes of a cluster, Messaging:QueueType the type of
/// the app's own queues (quorum by default with several nodes).
/// </summary>
public class MessagingSettingsTests
{
    [Theory]
    [InlineData("rabbit-1", "rabbit-1", -1)]
    [InlineData("rabbit-1.internal:5673", "rabbit-1.internal", 5673)]
    [InlineData("10.0.0.7:5672", "10.0.0.7", 5672)]
    [InlineData("[::1]:5672", "::1", 5672)]
    public void A_node_is_a_host_and_an_optional_port(string value, string host, int port) =>
        Assert.Equal((host, port), RabbitMqBroker.ParseNode(value));

    [Theory]
    [InlineData("")]
    [InlineData("amqp://rabbit-1")]
    [InlineData("rabbit-1:99999")]
    [InlineData("user:pass@rabbit-1")]
    [InlineData("rabbit-1/vhost")]
    [InlineData("rabbit 1")]
    public void Anything_else_is_not_a_node(string value) => Assert.Null(RabbitMqBroker.ParseNode(value));

    [Fact]
    public void One_uri_is_one_node_with_classic_queues_as_before()
    {
        var broker = RabbitMqBroker.From(Config(new() { ["ConnectionStrings:RabbitMq"] = "amqp://u:p@rabbit.internal:5673/vh" }));

        var node = Assert.Single(broker.Nodes);
        Assert.Equal(("rabbit.internal", 5673), (node.HostName, node.Port));
        Assert.False(broker.Quorum);
        Assert.False(broker.Listed);
        Assert.Equal("amqp://rabbit.internal:5673/vh", broker.Describe());
    }

    [Fact]
    public void Several_hosts_are_the_nodes_with_quorum_queues_unless_told_otherwise()
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:RabbitMq"] = "amqps://u:secret@rabbit-1.internal/vh",
            ["Messaging:Hosts:0"] = "rabbit-1.internal", ["Messaging:Hosts:1"] = "rabbit-2.internal:5680", ["Messaging:Hosts:2"] = "rabbit-3.internal",
        };
        var broker = RabbitMqBroker.From(Config(settings));

        Assert.Equal(["rabbit-1.internal:5671", "rabbit-2.internal:5680", "rabbit-3.internal:5671"], broker.Nodes.Select(n => $"{n.HostName}:{n.Port}"));
        Assert.All(broker.Nodes, n => Assert.True(n.Ssl.Enabled));
        Assert.True(broker.Quorum);
        Assert.True(broker.Listed);
        Assert.DoesNotContain("secret", broker.Describe());

        settings["Messaging:QueueType"] = "classic";
        Assert.False(RabbitMqBroker.From(Config(settings)).Quorum);
    }

    [Fact]
    public void One_host_with_quorum_asked_for_gets_quorum_queues() =>
        Assert.True(RabbitMqBroker.From(Config(new()
        {
            ["ConnectionStrings:RabbitMq"] = "amqp://u:p@rabbit.internal/", ["Messaging:QueueType"] = "Quorum",
        })).Quorum);

    [Theory]
    [InlineData("Messaging__QueueType", "Mirrored", "Messaging:QueueType must be one of Classic, Quorum")]
    [InlineData("Messaging__Hosts__1", "rabbit-2/vhost", "Messaging:Hosts:1 must be host or host:port")]
    public async Task A_wrong_messaging_setting_stops_the_app_with_one_line(string variable, string value, string expected)
    {
        var (exitCode, line, stdout) = await ConfigurationTests.RunWithAsync(new()
        {
            ["ConnectionStrings__RabbitMq"] = "amqp://guest:guest@127.0.0.1:1/", ["Messaging__Hosts__0"] = "127.0.0.1:1", [variable] = value,
        });

        Assert.Equal(1, exitCode);
        Assert.StartsWith("WecomBridge: invalid configuration: ", line);
        Assert.Contains(expected, line);
        Assert.DoesNotContain("   at ", stdout);
    }

    [Fact]
    public async Task Hosts_without_a_connection_string_stop_the_app()
    {
        var (exitCode, line, _) = await ConfigurationTests.RunWithAsync(new() { ["Messaging__Hosts__0"] = "rabbit-1" });

        Assert.Equal(1, exitCode);
        Assert.Contains("Messaging:Hosts needs ConnectionStrings:RabbitMq", line);
    }

    private static IConfiguration Config(Dictionary<string, string?> settings) => new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
}
