using System.Text;
using RabbitMQ.Client;
using WecomBridge.Sending.Status;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Sending.Dispatcher;

/// <summary>
/// Commands that did not come from the send API, put straight on the dispatcher's exchange: each gets a clear
/// outcome (failed with its reason, or kept on the `_error` queue), none reaches WeCom, and the consumer goes on.
/// </summary>
public class MalformedCommandTests
{
    [Fact]
    public async Task Malformed_hostile_and_oversized_commands_fail_or_are_kept_and_the_dispatcher_goes_on()
    {
        await using var app = new DispatcherApp();
        _ = app.Services;
        string Id() => Sends.NewId();
        var unknownKind = Id();
        var missingPart = Id();
        var noCorp = Id();
        var huge = Id();
        var bodies = new[]
        {
            "this is not json {",
            "{\"kind\":\"customer-task\",\"corp\":\"acme\"}",                                           // no messageId
            $"{{\"messageId\":\"{unknownKind}\",\"kind\":\"rm -rf\",\"corp\":\"acme\"}}",
            $"{{\"messageId\":\"{missingPart}\",\"kind\":\"customer-task\",\"corp\":\"acme\"}}",
            $"{{\"messageId\":\"{noCorp}\",\"kind\":\"group-task\",\"groupTask\":{{\"sender\":\"zhangsan\"}}}}",
            $"{{\"messageId\":\"{huge}\",\"kind\":\"customer-task\",\"corp\":\"acme\",\"customerTask\":{{\"sender\":\"zhangsan\",\"externalUserIds\":[\"wmAlice\"],\"text\":\"{new string('x', 1_000_000)}\"}}}}",
        };
        await using var connection = await new ConnectionFactory { Uri = new Uri(TestServers.RabbitMq) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        var properties = new BasicProperties { Persistent = true, ContentType = "application/json" };
        foreach (var body in bodies)
            await channel.BasicPublishAsync(app.Prefix + ".send-requested", "", mandatory: true, properties, Encoding.UTF8.GetBytes(body));

        foreach (var (id, reason) in new[] { (unknownKind, "unknown kind"), (missingPart, "customerTask is missing"), (noCorp, "corp is missing") })
        {
            var status = await app.FinishedAsync(id);
            Assert.Equal((SendStates.Failed, "malformed command: " + reason), (status.State, status.Reason));
        }
        var tooLong = await app.FinishedAsync(huge); // WeCom's own limit (the API refuses it before; a raw command reaches WeCom)
        Assert.Equal((SendStates.Failed, 40058), (tooLong.State, tooLong.ErrCode));

        var errorQueue = app.Prefix + "-send-requested_error";
        await channel.QueueDeclareAsync(errorQueue, durable: true, exclusive: false, autoDelete: false);
        var kept = await Eventually.Get(async () => await channel.MessageCountAsync(errorQueue), n => n >= 2, what: "the unreadable commands kept");
        Assert.Equal(2u, kept);

        var good = Sends.CustomerTask("zhangsan", "wmBob");
        await app.PublishAsync(good);
        Assert.Equal(SendStates.Sent, (await app.FinishedAsync(good.MessageId)).State);
        Assert.Single(app.WeCom.Data.MsgTemplates);
        Assert.DoesNotContain(app.App.Logs.Lines, line => line.Contains("xxxxxxxxxx"));
    }
}
