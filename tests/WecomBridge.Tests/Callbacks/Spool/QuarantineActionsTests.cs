using Microsoft.Extensions.Logging.Abstractions;
using RabbitMQ.Client;
using WecomBridge.Callbacks.Spool;
using WecomBridge.Messaging;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Callbacks.Spool;

/// <summary>
/// An event quarantined because its exchange existed with another type: once the exchange is fixed, a replay sends it
/// back into the spool and the forwarder delivers it once; a second replay finds nothing. A discard frees its room.
/// </summary>
[Collection("drills")]
public class QuarantineActionsTests : IDisposable
{
    private readonly SpoolFolder _folder = new();
    private readonly string _tag = Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task A_fixed_cause_and_a_replay_deliver_the_event_once_and_a_discard_frees_its_room()
    {
        await using var broker = await DisposableRabbitMq.StartAsync();
        const string exchange = "wecombridge.external-contact-edited";
        await using (var admin = await new ConnectionFactory { Uri = new Uri(broker.Uri) }.CreateConnectionAsync())
        await using (var channel = await admin.CreateChannelAsync())
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Direct, durable: true);
        using var spool = _folder.Open();
        var edited = SpoolFolder.Edited(_tag, 1);
        var gone = SpoolFolder.Added(_tag, 2);
        Assert.True(await spool.TryAppendAsync(edited.Type, edited.EventId, edited.Body));
        Assert.True(await spool.TryAppendAsync("WecomBridge.Contracts.Contacts.ExternalContactVanished", gone.EventId, gone.Body));

        await using var rabbit = new RabbitMqMessagePublisher(new Uri(broker.Uri), NullLogger<RabbitMqMessagePublisher>.Instance);
        using var forwarder = new SpoolForwarder(spool, rabbit, NullLogger<SpoolForwarder>.Instance);
        await forwarder.StartAsync(CancellationToken.None);
        await Eventually.True(() => spool.Quarantined == 2 && spool.Depth == 0, TimeSpan.FromSeconds(60), "both quarantined");
        var listed = await spool.ListQuarantineAsync(0, 10);
        var editedRow = listed.Single(q => q.EventId == edited.EventId).Id;
        var goneRow = listed.Single(q => q.EventId == gone.EventId).Id;
        var (shown, body) = (await spool.GetQuarantinedAsync(editedRow))!.Value;
        Assert.Equal(edited.Body, body);
        Assert.Equal(edited.Type, shown.Type);

        await using (var admin = await new ConnectionFactory { Uri = new Uri(broker.Uri) }.CreateConnectionAsync())
        await using (var channel = await admin.CreateChannelAsync())
            await channel.ExchangeDeleteAsync(exchange); // the operator fixes the cause
        await using var tap = await AmqpTap.BindAsync(broker.Uri, exchange);
        Assert.NotNull(await spool.ReplayQuarantinedAsync(editedRow));
        Assert.Null(await spool.ReplayQuarantinedAsync(editedRow)); // a second replay finds nothing
        await Eventually.True(() => spool.Depth == 0 && spool.Quarantined == 1, TimeSpan.FromSeconds(30), "the replayed event forwarded");
        var arrived = await Eventually.Get(tap.ReadAsync, m => m.Count >= 1, TimeSpan.FromSeconds(30), "the event on the queue");
        Assert.Equal(edited.EventId, Assert.Single(arrived).GetProperty("eventId").GetString());

        Assert.NotNull(await spool.DiscardQuarantinedAsync(goneRow));
        Assert.Null(await spool.DiscardQuarantinedAsync(goneRow));
        Assert.Null(await spool.GetQuarantinedAsync(goneRow));
        Assert.Equal(0, spool.Quarantined);
        Assert.Equal(0, spool.Bytes); // both rows gone: the room is free again
        Assert.Empty(await spool.ListQuarantineAsync(0, 10));
        await forwarder.StopAsync(CancellationToken.None);
        Assert.Single(await tap.ReadAsync()); // nothing more arrived: delivered once
    }

    public void Dispose() => _folder.Dispose();
}
