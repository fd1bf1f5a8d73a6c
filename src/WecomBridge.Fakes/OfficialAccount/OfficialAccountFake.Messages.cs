using System.Text.Json.Nodes;
using WecomBridge.Fakes.Data;
using WecomBridge.Fakes.Server;

namespace WecomBridge.Fakes;

public sealed partial class OfficialAccountFake
{
    private long _nextMsgId = 2_000_000_000_000_000_000;

    /// <summary>Template messages; the same client_msg_id for the same openid within 10 minutes returns the first msgid.</summary>
    private JsonObject SendTemplate(FakeRequest request)
    {
        var openId = request.String("touser");
        if (CheckRecipient(Data.Follower(openId)) is { } error) return error;
        if (!Data.TemplateIds.Contains(request.String("template_id") ?? "")) return Answers.Error(40037);
        if (request.Body["data"] is not JsonObject) return Answers.Error(47003, "argument invalid! data is empty");
        var now = Time.GetUtcNow();
        var clientMsgId = request.String("client_msg_id");
        var earlier = clientMsgId is null ? null : Data.SentTemplateMessages.LastOrDefault(m =>
            m.To == openId && m.Request["client_msg_id"]?.ToString() == clientMsgId && now - m.At < _options.ClientMsgIdWindow);
        if (earlier is not null) return Answers.Ok(new JsonObject { ["msgid"] = long.Parse(earlier.MsgId!) });
        var msgId = Interlocked.Increment(ref _nextMsgId);
        Data.SentTemplateMessages.Add(new SentMessage(openId!, request.Body, now, msgId.ToString()));
        return Answers.Ok(new JsonObject { ["msgid"] = msgId });
    }

    /// <summary>Customer-service messages: only within 48 hours of the follower's last message (else 45015).</summary>
    private JsonObject SendCustom(FakeRequest request)
    {
        var follower = Data.Follower(request.String("touser"));
        if (CheckRecipient(follower) is { } error) return error;
        if (request.String("msgtype") is null) return Answers.Error(40008, "invalid message type");
        var now = Time.GetUtcNow();
        if (follower!.LastInteraction is not { } last || now - last > _options.CustomMessageWindow)
            return Answers.Error(45015);
        Data.SentCustomMessages.Add(new SentMessage(follower.OpenId, request.Body, now));
        return Answers.Ok();
    }
}
