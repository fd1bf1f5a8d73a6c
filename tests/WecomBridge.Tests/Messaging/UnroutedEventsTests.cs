using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using WecomBridge.Contracts.Sending;
using WecomBridge.Messaging;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Messaging;

// Event types of these tests alone: no other test binds a queue to their exchanges on the shared broker.
public record UnroutedProbeSent(string Id);
public record RoutedProbeSent(string Id);
public record CatchAllRecreatedProbeSent(string Id);
public record OperatorsCatchAllProbeSent(string Id);
public record CatchAllRefusedProbeSent(string Id);

/// <summary>
/// An event that reaches its exchange but no queue is kept in the catch-all queue `{prefix}.unrouted` and confirmed
/// only there; never confirmed and dropped. Against the shared RabbitMQ, each test with a prefix of its own.
/// </summary>
public class UnroutedEventsTests
{
    [Fact]
    public async Task An_event_to_an_exchange_with_no_queue_ends_in_the_catch_all_queue_unchanged_and_is_counted()
    {
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        var counted = new List<string?>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == meters && instrument.Name == "wecombridge.events.unrouted") l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) => counted.Add(tags.ToArray().Single(t => t.Key == "exchange").Value as string));
        listener.Start();
        await using var publisher = NewPublisher(out var prefix, meters: meters);
        var id = Guid.NewGuid().ToString("N");

        await publisher.PublishAsync(typeof(UnroutedProbeSent), id, Body(id), CancellationToken.None);

        Assert.Equal(["wecombridge.unrouted-probe-sent"], counted);
        Assert.Equal(prefix + ".unrouted", publisher.UnroutedQueue);
        await using var broker = await Broker.OpenAsync(TestServers.RabbitMq);
        var message = Assert.Single(await broker.DrainAsync(publisher.UnroutedQueue));
        Assert.Equal(id, message.BasicProperties.MessageId);
        Assert.Equal(nameof(UnroutedProbeSent), message.BasicProperties.Type);
        Assert.Equal("application/json", message.BasicProperties.ContentType);
        Assert.True(message.BasicProperties.Persistent);
        Assert.Equal("wecombridge.unrouted-probe-sent", message.RoutingKey); // where it was meant to go
        Assert.Equal(prefix + ".unrouted", message.Exchange);
        Assert.Equal(Encoding.UTF8.GetString(Body(id)), Encoding.UTF8.GetString(message.Body.Span));
    }

    [Fact]
    public async Task Bound_queues_receive_every_event_and_the_catch_all_is_not_even_declared()
    {
        await using var publisher = NewPublisher(out _);
        var exchange = BridgeEntityNameFormatter.ExchangeName(typeof(RoutedProbeSent));
        await using var tap = await AmqpTap.BindAsync(TestServers.RabbitMq, exchange);
        var ids = Enumerable.Range(0, 50).Select(_ => Guid.NewGuid().ToString("N")).ToList();

        await Task.WhenAll(ids.Select(id => publisher.PublishAsync(typeof(RoutedProbeSent), id, Body(id), CancellationToken.None)));

        var received = await Eventually.Get(tap.ReadAsync, m => m.Count >= ids.Count, what: "every event on the bound queue");
        Assert.Equal(ids.Order(), received.Select(m => m.GetProperty("id").GetString()!).Order());
        await using var broker = await Broker.OpenAsync(TestServers.RabbitMq);
        Assert.False(await broker.QueueExistsAsync(publisher.UnroutedQueue));
    }

    [Fact]
    public async Task A_command_that_reaches_no_queue_still_fails_and_goes_nowhere()
    {
        await using var publisher = NewPublisher(out _);

        var failure = await Assert.ThrowsAnyAsync<PublishException>(() =>
            publisher.PublishAsync(typeof(SendRequested), Guid.NewGuid().ToString("N"), "{}"u8.ToArray(), CancellationToken.None));

        Assert.True(failure.IsReturn);
        await using var broker = await Broker.OpenAsync(TestServers.RabbitMq);
        Assert.False(await broker.QueueExistsAsync(publisher.UnroutedQueue));
    }

    [Fact]
    public async Task A_catch_all_queue_deleted_under_a_running_publisher_is_declared_again()
    {
        await using var publisher = NewPublisher(out _);
        await publisher.PublishAsync(typeof(CatchAllRecreatedProbeSent), "first", Body("first"), CancellationToken.None);
        await using var broker = await Broker.OpenAsync(TestServers.RabbitMq);
        await broker.Channel.QueueDeleteAsync(publisher.UnroutedQueue);

        await publisher.PublishAsync(typeof(CatchAllRecreatedProbeSent), "second", Body("second"), CancellationToken.None);

        Assert.Equal("second", Assert.Single(await broker.DrainAsync(publisher.UnroutedQueue)).BasicProperties.MessageId);
    }

    [Fact]
    public async Task An_operators_own_catch_all_queue_is_used_as_it_is()
    {
        await using var publisher = NewPublisher(out _);
        await using var broker = await Broker.OpenAsync(TestServers.RabbitMq);
        var queue = publisher.UnroutedQueue;
        // Declared and bound by an operator before the gateway needed it, with arguments the gateway would not give.
        await broker.Channel.ExchangeDeclareAsync(queue, ExchangeType.Fanout, durable: true);
        await broker.Channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" });
        await broker.Channel.QueueBindAsync(queue, queue, "");

        await publisher.PublishAsync(typeof(OperatorsCatchAllProbeSent), "kept", Body("kept"), CancellationToken.None);

        Assert.Equal("kept", Assert.Single(await broker.DrainAsync(queue)).BasicProperties.MessageId);
    }

    [Fact]
    public async Task When_the_catch_all_refuses_the_event_the_publish_fails_so_that_the_caller_spools_it()
    {
        await using var publisher = NewPublisher(out _);
        await using var broker = await Broker.OpenAsync(TestServers.RabbitMq);
        var queue = publisher.UnroutedQueue;
        await broker.Channel.ExchangeDeclareAsync(queue, ExchangeType.Fanout, durable: true);
        await broker.Channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-max-length"] = 0, ["x-overflow"] = "reject-publish" });
        await broker.Channel.QueueBindAsync(queue, queue, "");

        await Assert.ThrowsAnyAsync<PublishException>(() =>
            publisher.PublishAsync(typeof(CatchAllRefusedProbeSent), "refused", Body("refused"), CancellationToken.None));
    }

    internal static RabbitMqMessagePublisher NewPublisher(out string prefix, string? broker = null, IMeterFactory? meters = null)
    {
        prefix = "unrouted-test-" + Guid.NewGuid().ToString("N")[..8];
        return new RabbitMqMessagePublisher(new Uri(broker ?? TestServers.RabbitMq), NullLogger<RabbitMqMessagePublisher>.Instance, prefix, meters);
    }

    internal static byte[] Body(string id) => Encoding.UTF8.GetBytes($$"""{"id":"{{id}}"}""");
}
