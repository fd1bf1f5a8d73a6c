using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using WecomBridge.Contracts.Sending;
using WecomBridge.Sending.Status;
using WecomBridge.Tests.Api;
using WecomBridge.Tests.Sending.Dispatcher;

namespace WecomBridge.Tests.Observability.Tracing;

/// <summary>
/// A send's trace on the real servers: POST /api/v1/messages with a traceparent → the command on RabbitMQ → the
/// dispatcher → the call to (fake) WeCom, which receives the same trace id, and the status event a CRM reads. No
/// listener is added here: this is the app without an exporter, which carries the caller's trace all the same.
/// </summary>
public sealed class SendTracingTests
{
    private const string Key = "trace-key-0123456789";

    /// <summary>A corp of the test's own (limits in the shared Redis lifted), so that other tests' sends do not count.</summary>
    private static DispatcherApp Start(out string corp)
    {
        var settings = DispatcherApp.StreamKeys(out corp, out _);
        settings["SendApi:ApiKeys:0:Name"] = "crm";
        settings["SendApi:ApiKeys:0:KeyHash"] = ApiApp.Hash(Key);
        settings["SendApi:ApiKeys:0:Corps:0"] = corp;
        return new DispatcherApp(settings);
    }

    private static HttpRequestMessage Post(string corp, string? traceParent)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/messages")
        {
            Content = JsonContent.Create(new
            {
                kind = "customer-task", corp,
                customerTask = new { sender = "zhangsan", externalUserIds = new[] { "wmAlice" }, text = "Sale" },
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        if (traceParent is not null) request.Headers.TryAddWithoutValidation("traceparent", traceParent);
        return request;
    }

    [Fact]
    public async Task A_sends_traceparent_reaches_the_call_to_WeCom_and_the_status_event()
    {
        await using var app = Start(out var corp);
        using var client = app.App.CreateClient();
        await using var tap = await TraceTap.OpenAsync(typeof(MessageSent));
        var (traceParent, traceId) = TraceTap.NewTraceParent();

        var response = await client.SendAsync(Post(corp, traceParent));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("messageId").GetString()!;
        Assert.Equal(SendStates.Sent, (await app.FinishedAsync(id)).State);
        var call = Assert.Single(app.WeCom.TraceParents, c => c.Path == "/cgi-bin/externalcontact/add_msg_template");
        Assert.Equal(traceId, TraceTap.TraceIdOf(call.TraceParent));
        Assert.NotEqual(traceParent, call.TraceParent); // a span of the dispatcher's, in the caller's trace
        Assert.Equal(traceId, TraceTap.TraceIdOf(await tap.TraceParentOfAsync(id)));
    }

    [Fact]
    public async Task Without_a_traceparent_or_with_a_malformed_one_the_send_goes_through_in_a_trace_of_its_own()
    {
        await using var app = Start(out var corp);
        using var client = app.App.CreateClient();
        foreach (var traceParent in new[] { null, "00-not-a-trace-01", "01-" + new string('f', 32) + "-" + new string('f', 16) + "-01-extra" })
        {
            var response = await client.SendAsync(Post(corp, traceParent));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("messageId").GetString()!;
            Assert.Equal(SendStates.Sent, (await app.FinishedAsync(id)).State);
        }
        var traced = app.WeCom.TraceParents.Where(c => c.Path == "/cgi-bin/externalcontact/add_msg_template").Select(c => c.TraceParent).ToArray();
        Assert.Equal(3, traced.Length);
        // None and a malformed one: ASP.NET Core starts a trace of the request's own, carried on as for any other.
        Assert.All(traced[..2], t => Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$", t ?? "none"));
        Assert.NotEqual(TraceTap.TraceIdOf(traced[0]), TraceTap.TraceIdOf(traced[1]));
        // A future version with extra fields makes ASP.NET Core's activity a non-W3C one: no context is carried, the send goes through.
        Assert.True(traced[2] is null || TraceTap.TraceIdOf(traced[2]) is not null, traced[2]);
    }
}
