using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using WecomBridge.Callbacks.Spool;
using WecomBridge.Contracts.Contacts;
using WecomBridge.Messaging;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Callbacks.Gateway;

/// <summary>
/// After the signature verified, no failure may turn into an error status (WeCom does not retry those): a publisher
/// that throws (at once or later, any exception type) sends the event to the spool; when the spool throws too, the
/// connection is closed unanswered, the dedupe key is freed, and WeCom's retry is taken once things work again.
/// </summary>
public class FailureGuardTests(FailureGuardTests.Host host) : IClassFixture<FailureGuardTests.Host>
{
    public sealed class Host() : GatewayHost(settings => settings["Logging:LogLevel:WecomBridge"] = "Debug")
    {
        internal ThrowingPublisher Publisher { get; } = new();

        protected override WebApplicationFactory<Program> Serve(BridgeApp bridge) =>
            bridge.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
            {
                services.AddSingleton<IMessagePublisher>(sp => Publisher.Wrapping(sp));
            }));
    }

    /// <summary>The app's own publisher, or a failure of the kind asked for.</summary>
    internal sealed class ThrowingPublisher : IMessagePublisher
    {
        private IMessagePublisher? _real;
        public Func<Exception>? ThrowAtOnce { get; set; }
        public Func<Exception>? FailLater { get; set; }

        public IMessagePublisher Wrapping(IServiceProvider services)
        {
            _real = ActivatorUtilities.CreateInstance<RabbitMqMessagePublisher>(services, new Uri(TestServers.RabbitMq),
                "test-" + Guid.NewGuid().ToString("N")[..8]);
            return this;
        }

        public Task PublishAsync(Type type, string eventId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
        {
            if (ThrowAtOnce is { } now) throw now();
            if (FailLater is { } later) return Task.FromException(later());
            return _real!.PublishAsync(type, eventId, body, cancellationToken);
        }
    }

    [Theory]
    [InlineData("at once")]
    [InlineData("later")]
    public async Task A_publisher_that_throws_anything_sends_the_event_to_the_spool_and_it_is_answered(string when)
    {
        var customer = GatewayHost.NewId();
        Func<Exception> failure = () => new NullReferenceException("a bug " + customer);
        if (when == "at once") host.Publisher.ThrowAtOnce = failure; else host.Publisher.FailLater = failure;
        try
        {
            var response = await host.PostWeComAsync(GatewayHost.Added(customer));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var spool = host.Services.GetRequiredService<EventSpool>();
            Assert.True(spool.Depth > 0);
            Assert.DoesNotContain(customer, host.Bridge.Logs.All);
        }
        finally
        {
            host.Publisher.ThrowAtOnce = host.Publisher.FailLater = null;
        }
    }

    [Fact]
    public async Task When_publisher_and_spool_both_throw_the_connection_closes_unanswered_and_the_retry_is_taken_later()
    {
        await using var queue = await EventQueue.OpenAsync(typeof(ExternalContactAdded));
        var customer = GatewayHost.NewId();
        var xml = GatewayHost.Added(customer);
        var spool = host.Services.GetRequiredService<EventSpool>();
        host.Publisher.FailLater = () => new InvalidOperationException("broker said no");
        void Broken() => throw new ObjectDisposedException("spool", "the spool is gone");
        spool.Appended += Broken;
        try
        {
            var failed = await Record.ExceptionAsync(() => host.PostWeComAsync(xml));

            Assert.NotNull(failed); // no status line at all, in particular no 500
            Assert.IsNotType<Xunit.Sdk.XunitException>(failed);
            Assert.Contains("closing the connection unanswered", host.Bridge.Logs.All);
            Assert.DoesNotContain(customer, host.Bridge.Logs.All);
        }
        finally
        {
            spool.Appended -= Broken;
            host.Publisher.FailLater = null;
        }

        // WeCom's retry, encrypted anew: accepted at once (the failed attempt freed its key) and published.
        var retry = await host.PostWeComAsync(xml);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        await queue.WaitForAsync(customer);
    }

    [Fact]
    public async Task A_sender_that_gives_up_mid_body_is_noted_quietly_not_as_a_failure()
    {
        var customer = GatewayHost.NewId();
        var encrypt = Hostile.Crypto.Encrypt(GatewayHost.Added(customer));
        var body = System.Text.Encoding.UTF8.GetBytes(Hostile.Envelope(encrypt));
        var request = Hostile.WeComPost(encrypt);
        var stalled = new StalledContent(body[..20]);
        request.Content = stalled;
        using var giveUp = new CancellationTokenSource();

        var sending = host.Http.SendAsync(request, giveUp.Token);
        await stalled.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await giveUp.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
        await Eventually.True(() => Task.FromResult(host.Bridge.Logs.All.Contains("abandoned by its sender")),
            TimeSpan.FromSeconds(10), "the abandoned request noted");
        Assert.DoesNotContain("failed (", host.Bridge.Logs.All);
        Assert.DoesNotContain(customer, host.Bridge.Logs.All);
    }

    /// <summary>Sends the first bytes of a body, then waits forever (until the request is cancelled).</summary>
    private sealed class StalledContent(byte[] first) : HttpContent
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken)
        {
            await stream.WriteAsync(first, cancellationToken);
            await stream.FlushAsync(cancellationToken);
            Started.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    [Fact]
    public async Task An_unsigned_request_still_gets_its_refusal_not_a_closed_connection()
    {
        var request = Hostile.WeComPost("notsigned", tweak: q => q["msg_signature"] = new string('0', 40));

        await Hostile.AssertRefusedAsync(host.Http, request, 403, "signature mismatch");
    }
}
