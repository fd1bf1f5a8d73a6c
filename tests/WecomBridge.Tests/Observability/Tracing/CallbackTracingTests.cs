using System.Net;
using Microsoft.Extensions.DependencyInjection;
using WecomBridge.Contracts.Contacts;
using WecomBridge.Fakes.Callbacks;
using WecomBridge.Pool;
using WecomBridge.Tests.Infrastructure;
using WecomBridge.Tests.Pool;
using WecomBridge.Tests.Sending.Dispatcher;

namespace WecomBridge.Tests.Observability.Tracing;

/// <summary>
/// A callback's trace on the real servers (both roles, the pool in PostgreSQL): the traceparent its sender gave is
/// honoured, carried by the published event (as a CRM reads it) and continued by the consumers down to the pool.
/// </summary>
public sealed class CallbackTracingTests
{
    private const string CorpId = "wwfakecorp0000001";
    private static readonly WeComCallbackApp Crm = new("DemoToken123", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", CorpId);

    [Fact]
    public async Task A_callbacks_traceparent_reaches_the_event_the_publish_the_consume_and_the_pool()
    {
        var (traceParent, traceId) = TraceTap.NewTraceParent();
        using var capture = new ActivityCapture(traceId);
        await using var db = await PoolDatabase.CreateAsync();
        await using var app = new DispatcherApp(new Dictionary<string, string?>
        {
            ["Bridge:Roles:1"] = "Gateway",
            ["Gateway:Spool:Path"] = Path.Combine(TestServers.TempRoot, "spool-" + Guid.NewGuid().ToString("N")),
            ["ConnectionStrings:Postgres"] = db.ConnectionString,
        });
        var http = app.App.CreateClient();
        await Eventually.True(async () => (await http.GetAsync("/health/ready")).IsSuccessStatusCode, what: "ready");
        await using var tap = await TraceTap.OpenAsync(typeof(ExternalContactAdded));
        var customer = "wmTrace" + Guid.NewGuid().ToString("N")[..10];

        using var request = new CallbackSimulator()
            .BuildWeComPost(Crm, WeComEvents.ExternalContact(CorpId, "add_external_contact", "zhangsan", customer))
            .ToHttpRequest("/callbacks/wecom/acme/crm");
        request.Headers.Add("traceparent", traceParent);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(request)).StatusCode);

        Assert.Equal(traceId, TraceTap.TraceIdOf(await tap.TraceParentOfAsync(customer)));
        var store = app.Services.GetRequiredService<IPoolStore>();
        await Eventually.True(async () => await store.GetContactAsync("acme", customer) is not null, what: "the contact in the pool");
        var names = await Eventually.Get(() => Task.FromResult(capture.Names), n => n.Contains("WecomBridge: pool apply"),
            what: "the pool's activity in the callback's trace");
        Assert.Contains("WecomBridge: callback intake", names);
        Assert.Contains("WecomBridge: publish", names);
        Assert.Contains(names, n => n.StartsWith("MassTransit: ", StringComparison.Ordinal)); // its receive, parented on MT-Activity-Id
    }

    [Fact]
    public async Task A_malformed_or_oversized_traceparent_is_ignored_and_the_callback_still_goes_through()
    {
        await using var app = new DispatcherApp(new Dictionary<string, string?>
        {
            ["Bridge:Roles:1"] = "Gateway",
            ["Gateway:Spool:Path"] = Path.Combine(TestServers.TempRoot, "spool-" + Guid.NewGuid().ToString("N")),
        });
        var http = app.App.CreateClient();
        await using var tap = await TraceTap.OpenAsync(typeof(ExternalContactAdded));
        foreach (var hostile in new[] { "00-zz-yy-01", "00-" + new string('a', 32) + "-" + new string('b', 16) + "-01" + new string('x', 4000), "garbage" })
        {
            var customer = "wmHostile" + Guid.NewGuid().ToString("N")[..10];
            using var request = new CallbackSimulator()
                .BuildWeComPost(Crm, WeComEvents.ExternalContact(CorpId, "add_external_contact", "zhangsan", customer))
                .ToHttpRequest("/callbacks/wecom/acme/crm");
            request.Headers.TryAddWithoutValidation("traceparent", hostile);
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(request)).StatusCode);
            var carried = await tap.TraceParentOfAsync(customer);
            Assert.NotEqual(hostile, carried); // a trace of its own (ASP.NET Core's), never the hostile value
            Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$", carried ?? "00-" + new string('0', 32) + "-" + new string('0', 16) + "-00");
        }
    }
}
