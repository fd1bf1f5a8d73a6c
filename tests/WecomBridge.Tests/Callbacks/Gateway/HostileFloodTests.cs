using System.Net;
using WecomBridge.Contracts.Callbacks;
using WecomBridge.Contracts.Contacts;

namespace WecomBridge.Tests.Callbacks.Gateway;

/// <summary>
/// Thousands of hostile requests, many at once, leave the gateway live and still publishing. (Correctly signed
/// content is never refused, whatever it holds: see SignedContentTests.)
/// </summary>
public class HostileFloodTests(GatewayHost host) : IClassFixture<GatewayHost>
{
    private const int Requests = 3000, Batch = 100;

    private static readonly string[] Kinds =
    [
        "missing msg_signature", "wrong signature", "stale timestamp", "non-numeric timestamp", "tampered ciphertext",
        "wrong receive id", "invalid base64", "bad padding", "length field lies", "missing Encrypt", "non-XML body",
        "unknown corp", "billion laughs outside", "external entity outside", "oversized",
    ];

    [Fact]
    public async Task Three_thousand_mixed_hostile_requests_are_all_refused_and_the_gateway_stays_healthy()
    {
        await using var queue = await EventQueue.OpenAsync(typeof(ExternalContactAdded), typeof(UnrecognizedCallbackReceived));
        var customer = GatewayHost.NewId();
        var xml = GatewayHost.Added(customer);
        var statuses = new List<int>();
        for (var sent = 0; sent < Requests; sent += Batch)
        {
            var batch = Enumerable.Range(sent, Batch).Select(async i =>
            {
                using var response = await host.Http.SendAsync(Build(Kinds[i % Kinds.Length], xml));
                return (int)response.StatusCode;
            });
            statuses.AddRange(await Task.WhenAll(batch));
        }

        Assert.Equal(Requests, statuses.Count);
        Assert.All(statuses, s => Assert.Contains(s, new[] { 400, 403, 404, 413 }));
        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync("/health/live")).StatusCode);
        var sentinel = GatewayHost.NewId();
        Assert.Equal(HttpStatusCode.OK, (await host.PostWeComAsync(GatewayHost.Added(sentinel))).StatusCode);
        await queue.AssertNoneAsync(customer, sentinel);
        Assert.DoesNotContain(customer, host.Bridge.Logs.All);
    }

    private static HttpRequestMessage Build(string kind, string xml) => kind switch
    {
        "billion laughs outside" => Outer(Hostile.Crypto.Encrypt(xml), "billion laughs"),
        "external entity outside" => Outer(Hostile.Crypto.Encrypt(xml), "external entity"),
        "oversized" => Hostile.WeComPost("x", body: new string('<', GatewayHost.MaxBodyBytes + 1)),
        _ => WeComRefusalTests.Build(kind, xml).Request,
    };

    private static HttpRequestMessage Outer(string encrypt, string doctype) =>
        Hostile.WeComPost(encrypt, HostileXmlTests.Dtd(doctype) + Hostile.Envelope(encrypt).Replace("1000002", "&x;"));
}
