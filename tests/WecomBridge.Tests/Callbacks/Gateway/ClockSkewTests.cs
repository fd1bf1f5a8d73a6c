using System.Net;
using System.Text.Json;
using WecomBridge.Contracts.Contacts;

namespace WecomBridge.Tests.Callbacks.Gateway;

/// <summary>
/// The signature is checked before the timestamp. A correctly signed callback outside Gateway:TimestampWindow is
/// refused as before, but logged with its skew in seconds and it turns readiness Degraded naming the skew, since a
/// skewed clock refuses every callback. A wrongly signed stale request is only a bad request.
/// </summary>
public class ClockSkewTests
{
    public sealed class Host : GatewayHost;

    [Fact]
    public async Task A_signed_stale_callback_is_refused_logged_with_its_skew_and_readiness_turns_degraded()
    {
        var host = await StartAsync();
        try
        {
            await using var queue = await EventQueue.OpenAsync(typeof(ExternalContactAdded));
            var customer = GatewayHost.NewId();
            var encrypt = Hostile.Crypto.Encrypt(GatewayHost.Added(customer));
            Assert.Equal("Healthy", await ClockCheckAsync(host));

            var detail = await Hostile.AssertRefusedAsync(host.Http,
                Hostile.WeComPost(encrypt, tweak: Hostile.At(Hostile.Now(-7200), encrypt)), 400, "timestamp outside the accepted window");

            Assert.Matches(@"\((7199|7200|7201) s from this host's clock\)", detail);
            Assert.Matches(@"for acme/crm was refused: its timestamp is (7199|7200|7201) s from", host.Bridge.Logs.All);
            Assert.Equal("Degraded", await ClockCheckAsync(host));
            Assert.Matches("(7199|7200|7201) s from this host's clock", await ClockDescriptionAsync(host));
            Assert.DoesNotContain(customer, host.Bridge.Logs.All);
            Assert.DoesNotContain(encrypt, host.Bridge.Logs.All);
            await queue.AssertNoneAsync(customer, await SentinelAsync(host));
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_wrongly_signed_stale_callback_is_a_signature_mismatch_and_leaves_readiness_alone()
    {
        var host = await StartAsync();
        try
        {
            var encrypt = Hostile.Crypto.Encrypt(GatewayHost.Added(GatewayHost.NewId()));
            var request = Hostile.WeComPost(encrypt, tweak: q =>
            {
                Hostile.At(Hostile.Now(-7200), encrypt)(q);
                q["msg_signature"] = new string('a', 40);
            });

            await Hostile.AssertRefusedAsync(host.Http, request, 403, "signature mismatch");

            Assert.Equal("Healthy", await ClockCheckAsync(host));
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_url_check_and_official_accounts_verify_the_signature_first_too()
    {
        var host = await StartAsync();
        try
        {
            var stale = Hostile.Now(-7200);
            var wrongUrlCheck = $"{GatewayHost.WeComUrl}?msg_signature={new string('b', 40)}&timestamp={stale}&nonce=1&echostr=abc";
            var oa = host.Simulator.BuildOaPost(GatewayHost.Plain,
                WecomBridge.Fakes.Callbacks.OfficialAccountEvents.Subscribe(GatewayHost.Plain.OriginalId, "oStale"), "oStale",
                new WecomBridge.Fakes.Callbacks.CallbackStamp(Timestamp: stale));

            Assert.Equal(HttpStatusCode.Forbidden, (await host.Http.GetAsync(wrongUrlCheck)).StatusCode);
            Assert.Equal("Healthy", await ClockCheckAsync(host));
            await Hostile.AssertRefusedAsync(host.Http, oa.ToHttpRequest(GatewayHost.PlainUrl), 400, "timestamp outside the accepted window");
            Assert.Equal("Degraded", await ClockCheckAsync(host));
            Assert.Contains("brand", await ClockDescriptionAsync(host));
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    private static async Task<Host> StartAsync()
    {
        var host = new Host();
        await host.InitializeAsync();
        return host;
    }

    private static async Task<string> SentinelAsync(GatewayHost host)
    {
        var sentinel = GatewayHost.NewId();
        Assert.Equal(HttpStatusCode.OK, (await host.PostWeComAsync(GatewayHost.Added(sentinel))).StatusCode);
        return sentinel;
    }

    private static async Task<JsonElement> ClockAsync(GatewayHost host)
    {
        var ready = await host.Http.GetAsync("/health/ready");
        return JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement.GetProperty("checks").GetProperty("clock");
    }

    private static async Task<string> ClockCheckAsync(GatewayHost host) => (await ClockAsync(host)).GetProperty("status").GetString()!;

    private static async Task<string> ClockDescriptionAsync(GatewayHost host) => (await ClockAsync(host)).GetProperty("description").GetString()!;
}
