using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WecomBridge.Callbacks;
using WecomBridge.Callbacks.Dedupe;
using WecomBridge.Callbacks.Spool;
using WecomBridge.Contracts.Contacts;
using WecomBridge.Messaging;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Callbacks.Gateway;

/// <summary>
/// A broker that confirms after Gateway:PublishTimeout: the callback is spooled and answered; when the late
/// confirm comes, the spooled copy is dropped instead of being published a second time. A publish that fails
/// late leaves the copy to the forwarder.
/// </summary>
public sealed class LateConfirmTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wb-late-confirm").FullName;
    private readonly HeldPublisher _publisher = new();
    private readonly EventSpool _spool;
    private readonly EventIntake _intake;
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public LateConfirmTests()
    {
        var options = Options.Create(new GatewayOptions { PublishTimeout = TimeSpan.FromMilliseconds(100), Spool = { Path = _folder } });
        _spool = new EventSpool(options);
        _intake = new EventIntake(new InMemoryCallbackDedupe(TimeProvider.System), _publisher, _spool,
            new GatewayMetrics(_services.GetRequiredService<IMeterFactory>(), _spool), options, NullLogger<EventIntake>.Instance);
    }

    [Fact]
    public async Task A_confirm_after_the_timeout_drops_the_spooled_copy()
    {
        var added = Added();
        Assert.Equal(IntakeOutcome.Spooled, await _intake.AcceptAsync(added, added.EventId, added.EventId));
        Assert.Equal(1, _spool.Depth);

        _publisher.Calls.Single().SetResult(); // the broker confirms, late
        await ForwardAsync();

        Assert.Single(_publisher.Calls); // not published a second time
    }

    [Fact]
    public async Task A_publish_that_fails_after_the_timeout_is_forwarded_from_the_spool()
    {
        var added = Added();
        Assert.Equal(IntakeOutcome.Spooled, await _intake.AcceptAsync(added, added.EventId, added.EventId));

        _publisher.Calls.Single().SetException(new IOException("channel closed"));
        _publisher.ConfirmFromNowOn = true;
        await ForwardAsync();

        Assert.Equal(2, _publisher.Calls.Count);
        Assert.Equal(added.EventId, _publisher.EventIds.Last());
    }

    [Fact]
    public async Task The_spooled_copy_waits_while_the_first_publish_may_still_be_confirmed()
    {
        var added = Added();
        Assert.Equal(IntakeOutcome.Spooled, await _intake.AcceptAsync(added, added.EventId, added.EventId));

        var pass = await Pass().RunAsync(CancellationToken.None); // the first publish is neither confirmed nor failed
        Assert.Equal((1, 0, 1L), (pass.Waiting, pass.Forwarded, _spool.Depth));
        Assert.Single(_publisher.Calls);

        _publisher.Calls.Single().SetResult(); // confirmed, later still
        pass = await Pass().RunAsync(CancellationToken.None);
        Assert.Equal((0, 1, 0L), (pass.Waiting, pass.Forwarded, _spool.Depth));
        Assert.Single(_publisher.Calls); // dropped as a copy, never published again
        Assert.Equal(0, _spool.WatchedLate);
    }

    [Fact]
    public async Task A_forward_without_a_confirm_in_time_is_not_published_again_until_it_settles()
    {
        var added = Added();
        Assert.True(await _spool.TryAppendAsync(added.GetType().FullName!, added.EventId, EventJson.Serialize(added)));

        var pass = await Pass(TimeSpan.FromMilliseconds(50)).RunAsync(CancellationToken.None);
        Assert.Equal((0, 1L), (pass.Forwarded, _spool.Depth)); // timed out: still spooled, its publish watched
        Assert.True(_spool.IsPublishPending(added.EventId));

        pass = await Pass(TimeSpan.FromMilliseconds(50)).RunAsync(CancellationToken.None);
        Assert.Equal(1, pass.Waiting);
        Assert.Single(_publisher.Calls);

        _publisher.Calls.Single().SetException(new IOException("channel closed")); // failed late: forward it again
        _publisher.ConfirmFromNowOn = true;
        pass = await Pass().RunAsync(CancellationToken.None);
        Assert.Equal((1, 0L), (pass.Forwarded, _spool.Depth));
        Assert.Equal(2, _publisher.Calls.Count);
    }

    private ForwardPass Pass(TimeSpan? publishTimeout = null) =>
        new(_spool, _publisher, NullLogger.Instance, publishTimeout);

    [Fact]
    public async Task A_confirm_in_time_spools_nothing()
    {
        _publisher.ConfirmFromNowOn = true;
        var added = Added();
        Assert.Equal(IntakeOutcome.Published, await _intake.AcceptAsync(added, added.EventId, added.EventId));
        Assert.Equal(0, _spool.Depth);
    }

    private async Task ForwardAsync()
    {
        using var forwarder = new SpoolForwarder(_spool, _publisher, NullLogger<SpoolForwarder>.Instance);
        await forwarder.StartAsync(CancellationToken.None);
        await Eventually.True(() => _spool.Depth == 0, what: "the spool drained");
        await forwarder.StopAsync(CancellationToken.None);
    }

    private static ExternalContactAdded Added()
    {
        var now = DateTimeOffset.UtcNow;
        return new ExternalContactAdded(Guid.NewGuid().ToString("N"), "acme", "crm", "wwfakecorp0000001", now, now, "zhangsan", "wm" + Guid.NewGuid().ToString("N")[..10], null, null);
    }

    public void Dispose()
    {
        _spool.Dispose();
        _services.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Holds every publish until the test completes it, or confirms at once when told to.</summary>
    private sealed class HeldPublisher : IMessagePublisher
    {
        public readonly ConcurrentQueue<string> EventIds = new();
        public readonly List<TaskCompletionSource> Calls = [];
        public volatile bool ConfirmFromNowOn;

        public Task PublishAsync(Type type, string eventId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
        {
            EventIds.Enqueue(eventId);
            var call = new TaskCompletionSource(); // continuations run inline: the late confirm is seen at once
            lock (Calls) Calls.Add(call);
            if (ConfirmFromNowOn) call.SetResult();
            return call.Task;
        }
    }
}
