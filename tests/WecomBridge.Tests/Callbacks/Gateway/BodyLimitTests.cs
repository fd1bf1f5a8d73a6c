using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using WecomBridge.Tests.Infrastructure;
using System.Text;
using WecomBridge.Contracts.Contacts;
using WecomBridge.Fakes.Callbacks;

namespace WecomBridge.Tests.Callbacks.Gateway;

/// <summary>Bodies over Gateway:MaxBodyBytes (4096 here) get 413, whether or not they announce their length.</summary>
public class BodyLimitTests(BodyLimitTests.Host host) : IClassFixture<BodyLimitTests.Host>
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_wecom_body_over_the_limit_gets_413_and_publishes_nothing(bool withContentLength)
    {
        await using var queue = await EventQueue.OpenAsync(typeof(ExternalContactAdded));
        var customer = GatewayHost.NewId();
        var encrypt = Hostile.Crypto.Encrypt(GatewayHost.Added(customer));
        var body = Hostile.Envelope(encrypt).Replace("</xml>", $"<Pad>{new string('p', GatewayHost.MaxBodyBytes)}</Pad></xml>");
        var request = Hostile.WeComPost(encrypt, body);
        if (!withContentLength) request.Content = new ChunkedContent(Encoding.UTF8.GetBytes(body));
        var probe = Guid.NewGuid().ToString("N");
        request.Headers.Add(Host.ProbeHeader, probe);

        var detail = await Hostile.AssertRefusedAsync(host.Http, request, 413, "body larger than 4096 bytes");

        Assert.Equal(withContentLength, host.ContentLengths[probe] is not null); // as the app saw it
        var sentinel = GatewayHost.NewId();
        await host.PostWeComAsync(GatewayHost.Added(sentinel));
        await queue.AssertNoneAsync(customer, sentinel);
        Hostile.AssertLogged(host.Bridge.Logs, 413, detail, customer, encrypt);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_official_account_body_over_the_limit_gets_413(bool withContentLength)
    {
        var openId = GatewayHost.NewId("o");
        var xml = OfficialAccountEvents.Text(GatewayHost.Plain.OriginalId, openId, new string('x', 5000), "1");
        var request = host.Simulator.BuildOaPost(GatewayHost.Plain, xml, openId).ToHttpRequest(GatewayHost.PlainUrl);
        if (!withContentLength) request.Content = new ChunkedContent(Encoding.UTF8.GetBytes(xml));

        var detail = await Hostile.AssertRefusedAsync(host.Http, request, 413);

        Hostile.AssertLogged(host.Bridge.Logs, 413, detail, openId);
    }

    [Fact]
    public async Task A_body_just_under_the_limit_is_taken()
    {
        await using var queue = await EventQueue.OpenAsync(typeof(ExternalContactAdded));
        var customer = GatewayHost.NewId();
        var encrypt = Hostile.Crypto.Encrypt(GatewayHost.Added(customer));
        var envelope = Hostile.Envelope(encrypt);
        var filler = GatewayHost.MaxBodyBytes - Encoding.UTF8.GetByteCount(envelope) - "<Pad></Pad>".Length;
        var body = envelope.Replace("</xml>", $"<Pad>{new string('p', filler)}</Pad></xml>");
        Assert.Equal(GatewayHost.MaxBodyBytes, Encoding.UTF8.GetByteCount(body));

        var response = await host.Http.SendAsync(Hostile.WeComPost(encrypt, body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await queue.WaitForAsync(customer);
    }

    /// <summary>The gateway, with a first middleware that notes the Content-Length each probed request arrived with.</summary>
    public sealed class Host : GatewayHost
    {
        public const string ProbeHeader = "X-Test-Probe";

        public ConcurrentDictionary<string, long?> ContentLengths { get; } = new();

        protected override WebApplicationFactory<Program> Serve(BridgeApp bridge) =>
            bridge.WithWebHostBuilder(web => web.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new Recorder(this))));

        private sealed class Recorder(Host host) : IStartupFilter
        {
            public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
            {
                app.Use((context, then) =>
                {
                    if (context.Request.Headers[ProbeHeader] is [{ } probe]) host.ContentLengths[probe] = context.Request.ContentLength;
                    return then(context);
                });
                next(app);
            };
        }
    }

    /// <summary>Content that does not know its length, so it goes out chunked with no Content-Length.</summary>
    internal sealed class ChunkedContent(byte[] bytes) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            for (var at = 0; at < bytes.Length; at += 1000)
                await stream.WriteAsync(bytes.AsMemory(at, Math.Min(1000, bytes.Length - at)));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
