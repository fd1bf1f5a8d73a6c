using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WecomBridge.Contracts.Journeys;
using WecomBridge.Fakes;
using WecomBridge.Fakes.Callbacks;
using WecomBridge.Fakes.Data;
using WecomBridge.Journeys.Runtime;
using WecomBridge.Messaging;
using WecomBridge.Tests.Api;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Journeys;

/// <summary>
/// examples/journeys/welcome-sop.json in the embedded mode (one process, no RabbitMQ, Redis or PostgreSQL) against the
/// WeCom fake on a fake clock: a contact added through a channel (a signed callback) is enrolled, the T+0 welcome task and
/// tag reach the fake, and T+1, T+7 and T+21 are taken or skipped as the definition says, every change published.
/// </summary>
public sealed class WelcomeSopEndToEndTests
{
    private const string Key = "journey-e2e-key-0123456789";
    private const string CorpId = "wwfakecorp0000001";
    /// <summary>10:00 in Asia/Shanghai (outside quiet hours), so T+1, T+7 and T+21 at 10:00 fall on whole days.</summary>
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_contact_added_through_a_channel_runs_the_welcome_sop_from_T0_to_T21()
    {
        var clock = new FakeTimeProvider(T0);
        using var weCom = WeComFake.Start();
        weCom.Data.TagGroups.Add(new TagGroup
        {
            GroupId = "etGroupJourney", GroupName = "Journey",
            Tags = [.. new[] { "etNEWCONTACT", "etSKINCARE", "etMAKEUP", "etPURCHASED" }.Select(id => new CorpTag { Id = id, Name = id })],
        });
        var alice = weCom.Data.Contact("wmAlice")!.FollowUsers[0];
        alice.TagIds = ["etSKINCARE"];
        var app = new WeComCallbackApp("JourneyToken", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", CorpId);
        var events = new Tee();
        await using var bridge = new BridgeApp(new Dictionary<string, string?>
        {
            ["Gateway:Spool:Path"] = Path.Combine(Path.GetTempPath(), "wb-spool-" + Guid.NewGuid().ToString("N")),
            ["WeCom:BaseUrl"] = weCom.BaseUrl,
            ["WeCom:Corps:acme:CorpId"] = CorpId,
            ["WeCom:Corps:acme:ContactSecret"] = "contact-secret",
            ["WeCom:Corps:acme:Apps:crm:AgentId"] = app.AgentId,
            ["WeCom:Corps:acme:Apps:crm:Secret"] = "app-secret",
            ["WeCom:Corps:acme:Apps:crm:Token"] = app.Token,
            ["WeCom:Corps:acme:Apps:crm:EncodingAesKey"] = app.EncodingAesKey,
            ["SendApi:ApiKeys:0:Name"] = "crm",
            ["SendApi:ApiKeys:0:KeyHash"] = ApiApp.Hash(Key),
            ["SendApi:ApiKeys:0:Corps:0"] = "acme",
            ["Journeys:RunnerEnabled"] = "false", // the test takes the runner's turns on its clock
        });
        var factory = bridge.WithWebHostBuilder(web => web.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(clock);
            services.AddSingleton<IMessagePublisher>(sp => events.Over(ActivatorUtilities.CreateInstance<BusMessagePublisher>(sp)));
        }));
        using var http = factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        var sop = await File.ReadAllTextAsync(Path.Combine(Definitions.JourneyJson.ExamplesFolder, "welcome-sop.json"));
        Assert.Equal(HttpStatusCode.Created,
            (await http.PostAsync("/api/v1/journeys/acme", new StringContent(sop, Encoding.UTF8, "application/json"))).StatusCode);

        // zhangsan adds Alice through the channel of the spring campaign's contact way.
        var xml = WeComEvents.ExternalContact(CorpId, "add_external_contact", "zhangsan", "wmAlice", state: "spring-campaign",
            createTime: clock.GetUtcNow().ToUnixTimeSeconds());
        var callback = new CallbackSimulator(time: clock).BuildWeComPost(app, xml).ToHttpRequest("/callbacks/wecom/acme/crm");
        (await http.SendAsync(callback)).EnsureSuccessStatusCode();
        var store = factory.Services.GetRequiredService<IJourneyStore>();
        var enrolment = await Eventually.Get(async () => (await store.RunningAsync("acme", "wmAlice")).SingleOrDefault(), e => e is not null,
            what: "Alice enrolled in welcome-sop");
        Assert.Equal(("welcome-sop", "zhangsan"), (enrolment!.JourneyId, enrolment.FollowUser));
        await Eventually.True(async () => (await factory.Services.GetRequiredService<WecomBridge.Pool.IPoolStore>()
            .GetContactAsync("acme", "wmAlice"))?.TagIds.Contains("etSKINCARE") == true, what: "Alice's snapshot in the pool");

        var runner = factory.Services.GetRequiredService<JourneyRunner>();
        async Task Turn() { while (await runner.RunOnceAsync(CancellationToken.None) > 0) { } }
        // The dispatcher paces its calls on the same clock: nudged on while waiting, so that a paced call departs.
        Task Sent(int tasks, string what) => Eventually.True(() =>
        {
            clock.Advance(TimeSpan.FromMilliseconds(100));
            return weCom.Data.MsgTemplates.Count == tasks;
        }, what: what);

        // T+0: the welcome task (the fake's customer task) and the first tag (mark_tag).
        await Turn();
        await Sent(1, "the welcome task at the fake");
        Assert.Contains("Welcome aboard!", weCom.Journal.For("/cgi-bin/externalcontact/add_msg_template")[0].Body);
        Assert.Contains("etNEWCONTACT", alice.TagIds);

        // T+1 10:00: the VIP group invitation (Alice is in wrChatVip, not in the journey's wrVIPGROUP0001).
        clock.Advance(TimeSpan.FromDays(1));
        await Turn();
        await Sent(2, "the VIP invitation at the fake");

        // T+7: the skincare recommendation; the makeup and bestseller ones are skipped (Alice is tagged etSKINCARE).
        clock.Advance(TimeSpan.FromDays(6));
        await Turn();
        await Sent(3, "the skincare recommendation at the fake");
        Assert.Contains("hydrating serum", weCom.Journal.For("/cgi-bin/externalcontact/add_msg_template")[2].Body);

        // T+21: no etPURCHASED and not burst-flagged: the coupon; then the enrolment is completed.
        clock.Advance(TimeSpan.FromDays(14));
        await Turn();
        await Sent(4, "the repurchase coupon at the fake");

        var history = Assert.Single(await store.HistoryAsync("acme", "wmAlice", 10));
        Assert.Equal(EnrolmentStates.Completed, history.Enrolment.State);
        Assert.Equal(["taken", "taken", "taken", "taken", "skipped", "skipped", "taken"], history.Steps.OrderBy(s => s.StepIndex)
            .Select(s => s.Outcome));
        Assert.Equal(1, events.Of<JourneyEnrolled>());
        Assert.Equal(5, events.Of<JourneyStepTaken>());
        Assert.Equal(2, events.Of<JourneyStepSkipped>());
        Assert.Equal(1, events.Of<JourneyExited>());
    }

    /// <summary>The in-memory bus's publisher, counting what it publishes.</summary>
    private sealed class Tee
    {
        private readonly ConcurrentQueue<Type> _published = new();

        public int Of<T>() => _published.Count(t => t == typeof(T));

        public IMessagePublisher Over(IMessagePublisher inner) => new Counting(inner, _published);

        private sealed class Counting(IMessagePublisher inner, ConcurrentQueue<Type> published) : IMessagePublisher
        {
            public async Task PublishAsync(Type type, string eventId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
            {
                await inner.PublishAsync(type, eventId, body, cancellationToken);
                published.Enqueue(type);
            }
        }
    }
}
