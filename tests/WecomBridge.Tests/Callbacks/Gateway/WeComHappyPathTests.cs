using System.Net;
using System.Text;
using System.Text.Json;
using WecomBridge.Contracts.Callbacks;
using WecomBridge.Contracts.Contacts;

namespace WecomBridge.Tests.Callbacks.Gateway;

public class WeComHappyPathTests(GatewayHost host) : IClassFixture<GatewayHost>
{
    [Fact]
    public async Task Url_check_answers_exactly_the_decrypted_echostr_as_text_plain()
    {
        var echo = "1288432023552776189" + Random.Shared.Next(1000, 9999);
        var response = await host.SendAsync(host.Simulator.BuildWeComUrlCheck(GatewayHost.WeCom, echo), GatewayHost.WeComUrl);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Encoding.UTF8.GetBytes(echo), await response.Content.ReadAsByteArrayAsync()); // no quotes, BOM or newline
    }

    [Fact]
    public async Task Post_answers_200_with_an_empty_body_and_publishes_the_raw_json_event()
    {
        await using var queue = await EventQueue.OpenAsync(typeof(ExternalContactAdded));
        var customer = GatewayHost.NewId();
        var createTime = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var response = await host.PostWeComAsync(GatewayHost.Added(customer, createTime));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        var message = await queue.WaitForAsync(customer);
        Assert.Equal("application/json", message.ContentType);
        Assert.Equal(nameof(ExternalContactAdded), message.Type);
        Assert.True(message.Persistent);

        var body = JsonDocument.Parse(message.Body).RootElement;
        Assert.All(body.EnumerateObject(), p => Assert.True(char.IsLower(p.Name[0]), $"{p.Name} is not camelCase"));
        var eventId = body.GetProperty("eventId").GetString()!;
        Assert.Matches("^[0-9a-f]{32}$", eventId);
        Assert.Equal(eventId, message.MessageId);
        Assert.Equal(GatewayHost.Corp, body.GetProperty("corp").GetString());
        Assert.Equal(GatewayHost.App, body.GetProperty("app").GetString());
        Assert.Equal(GatewayHost.CorpId, body.GetProperty("corpId").GetString());
        Assert.Equal("zhangsan", body.GetProperty("userId").GetString());
        Assert.Equal(customer, body.GetProperty("externalUserId").GetString());
        Assert.Equal("promo", body.GetProperty("state").GetString());
        Assert.Equal("WELCOME", body.GetProperty("welcomeCode").GetString());
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(createTime), body.GetProperty("occurredAt").GetDateTimeOffset());
        Assert.EndsWith("+00:00", body.GetProperty("receivedAt").GetString());
    }

    [Fact]
    public async Task An_unknown_event_is_still_published_as_UnrecognizedCallbackReceived_with_the_raw_xml()
    {
        await using var queue = await EventQueue.OpenAsync(typeof(UnrecognizedCallbackReceived));
        var marker = GatewayHost.NewId("future");
        var xml = $"<xml><ToUserName><![CDATA[{GatewayHost.CorpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>" +
                  $"<CreateTime>{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}</CreateTime><MsgType><![CDATA[event]]></MsgType>" +
                  $"<Event><![CDATA[change_something_new]]></Event><Marker><![CDATA[{marker}]]></Marker></xml>";

        var response = await host.PostWeComAsync(xml);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var message = await queue.WaitForAsync(marker);
        Assert.Equal(nameof(UnrecognizedCallbackReceived), message.Type);
        var body = JsonDocument.Parse(message.Body).RootElement;
        Assert.Equal("wecom", body.GetProperty("channel").GetString());
        Assert.Equal("change_something_new", body.GetProperty("event").GetString());
        Assert.Equal(xml, body.GetProperty("rawXml").GetString());
        Assert.Equal(body.GetProperty("eventId").GetString(), message.MessageId);
    }
}
