using System.Net;
using WecomBridge.Contracts.Messages;
using WecomBridge.Fakes.Callbacks;

namespace WecomBridge.Tests.Callbacks.Gateway;

/// <summary>
/// With the default Gateway:MaxBodyBytes (1 MiB), a genuine callback far larger than a contact event (a long text,
/// as approval and chat-archive events are) is taken and published, whether or not it announces its length.
/// </summary>
public class DefaultBodyLimitTests(DefaultBodyLimitTests.Host host) : IClassFixture<DefaultBodyLimitTests.Host>
{
    public sealed class Host() : GatewayHost(settings => settings.Remove("Gateway:MaxBodyBytes"));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_callback_of_almost_1_MiB_is_taken_and_published(bool withContentLength)
    {
        await using var queue = await EventQueue.OpenAsync(typeof(WecomMessageReceived));
        var token = GatewayHost.NewId();
        var content = token + new string('x', 690_000); // about 920 KB once encrypted and base64-encoded
        var xml = WeComEvents.Text(GatewayHost.CorpId, "zhangsan", content, Random.Shared.NextInt64(1, long.MaxValue).ToString());
        var request = host.Simulator.BuildWeComPost(GatewayHost.WeCom, xml).ToHttpRequest(GatewayHost.WeComUrl);
        var body = await request.Content!.ReadAsByteArrayAsync();
        Assert.InRange(body.Length, 900_000, 1024 * 1024);
        if (!withContentLength) request.Content = new BodyLimitTests.ChunkedContent(body);

        var response = await host.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = await queue.WaitForAsync(token);
        Assert.Contains(content, received.Body);
        Assert.DoesNotContain(token, host.Bridge.Logs.All);
    }

    [Fact]
    public async Task A_body_over_1_MiB_gets_413()
    {
        var encrypt = Hostile.Crypto.Encrypt(GatewayHost.Added(GatewayHost.NewId()));
        var body = Hostile.Envelope(encrypt).Replace("</xml>", $"<Pad>{new string('p', 1024 * 1024)}</Pad></xml>");

        await Hostile.AssertRefusedAsync(host.Http, Hostile.WeComPost(encrypt, body), 413,
            "body larger than 1048576 bytes");
    }
}
