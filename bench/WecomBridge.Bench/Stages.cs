using WecomBridge.Callbacks;
using WecomBridge.Callbacks.Dedupe;
using WecomBridge.Callbacks.Parsing;
using WecomBridge.Hosting;
using WecomBridge.Messaging;
using WecomBridge.Storage;

namespace WecomBridge.Bench;

/// <summary>
/// Where the time goes: the gateway's own services (built from the same configuration as the app, through
/// its registration code, no HTTP) driven at a given concurrency, one stage at a time on fresh events:
/// Redis dedupe alone (claim + mark done), the app's event publisher alone (RabbitMQ.Client, 4 confirm
/// channels), the bench's own RabbitMQ.Client publisher on 1 and 4 channels, and the whole EventIntake.
/// </summary>
internal static class Stages
{
    public static async Task RunAsync(int count, int concurrency, TimeSpan maxTime, ProcCpu watch)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddBridgeDefaults();
        builder.AddStorage();
        builder.AddMessaging(_ => { });
        builder.AddCallbacks();
        using var host = builder.Build();
        await host.StartAsync();

        var dedupe = host.Services.GetRequiredService<ICallbackDedupe>();
        var publisher = host.Services.GetRequiredService<IMessagePublisher>();
        var intake = host.Services.GetRequiredService<EventIntake>();
        var tag = Guid.NewGuid().ToString("N")[..8];

        ParsedCallback[] Events(string stage) => Parse(Fixtures.Callbacks(count, tag + stage));
        await Warm(publisher, Events("w"));

        // The result line, then the CPU ticks of the watched processes (e.g. RabbitMQ) over the stage's own window.
        async Task Run(Func<Task<LoadResult>> stage)
        {
            var before = watch.Read();
            var result = await stage();
            var after = watch.Read();
            Console.WriteLine(result);
            Console.WriteLine(watch.Line(result.Name, before, after));
        }

        var events = Events("d");
        await Run(() => ClosedLoop.RunAsync($"stage-dedupe-c{concurrency}", count, concurrency, maxTime, async (i, _) =>
        {
            await dedupe.TryClaimAsync(events[i].DedupeKey, TimeSpan.FromSeconds(8));
            await dedupe.MarkDoneAsync(events[i].DedupeKey, TimeSpan.FromHours(1));
            return 200;
        }));

        events = Events("p");
        await Run(() => ClosedLoop.RunAsync($"stage-publish-c{concurrency}", count, concurrency, maxTime, async (i, _) =>
        {
            await publisher.PublishAsync(events[i].Event.GetType(), events[i].EventId, EventJson.Serialize(events[i].Event), CancellationToken.None);
            return 200;
        }));

        // The same events' JSON, to the same exchange and bound queue, with the bench's bare RabbitMQ.Client
        // publisher on one channel and on four.
        var amqp = builder.Configuration.GetConnectionString("RabbitMq")!;
        foreach (var channels in new[] { 1, 4 })
        {
            events = Events("r" + channels);
            var bodies = events.Select(e => EventJson.Serialize(e.Event)).ToArray();
            await Run(() => RawPublisher.RunAsync($"stage-raw{channels}ch-c{concurrency}", amqp, channels, concurrency, maxTime, bodies));
        }

        events = Events("i");
        await Run(() => ClosedLoop.RunAsync($"stage-intake-c{concurrency}", count, concurrency, maxTime, async (i, _) =>
            await intake.AcceptAsync(events[i].Event, events[i].EventId, events[i].DedupeKey) == IntakeOutcome.Published ? 200 : 500));

        await host.StopAsync();
    }

    private static async Task Warm(IMessagePublisher publisher, ParsedCallback[] events)
    {
        foreach (var e in events.Take(200))
            await publisher.PublishAsync(e.Event.GetType(), e.EventId, EventJson.Serialize(e.Event), CancellationToken.None);
    }

    /// <summary>What WeComCallbacks.Receive does before the intake: envelope, verify, decrypt, parse.</summary>
    public static ParsedCallback[] Parse(Fakes.Callbacks.CallbackRequest[] callbacks)
    {
        var crypto = new Callbacks.Crypto.CallbackCrypto(Fixtures.Token, Fixtures.EncodingAesKey, Fixtures.CorpId);
        return callbacks.Select(c =>
        {
            var encrypt = CallbackXml.Parse(System.Text.Encoding.UTF8.GetBytes(c.Body!))["Encrypt"]!;
            if (crypto.TryDecrypt(encrypt, out var plain) != Callbacks.Crypto.CryptoError.None) throw new InvalidOperationException("bad fixture");
            return WeComCallbackParser.Parse(plain, Fixtures.Corp, Fixtures.App, Fixtures.CorpId, DateTimeOffset.UtcNow);
        }).ToArray();
    }
}
