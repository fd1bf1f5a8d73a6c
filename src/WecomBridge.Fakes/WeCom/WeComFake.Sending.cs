using System.Text;
using System.Text.Json.Nodes;
using WecomBridge.Fakes.Data;
using WecomBridge.Fakes.Server;

namespace WecomBridge.Fakes;

public sealed partial class WeComFake
{
    private void MapSending()
    {
        Map("POST", Api + "externalcontact/add_msg_template", AddMsgTemplate);
        Map("POST", Api + "externalcontact/get_groupmsg_send_result", GetGroupMsgSendResult);
        Map("POST", Api + "externalcontact/send_welcome_msg", SendWelcomeMsg);
        Map("POST", Api + "message/send", SendAppMessage);
    }

    private JsonObject AddMsgTemplate(FakeRequest request)
    {
        var chatType = request.String("chat_type") ?? "single";
        var sender = request.String("sender");
        var customers = request.Strings("external_userid");
        var chats = request.Strings("chat_id_list");
        if (request.Body["text"]?["content"] is JsonValue content && Encoding.UTF8.GetByteCount(content.ToString()) > 4000)
            return Answers.Error(40058, "text.content over 4000 bytes");
        if (sender is not null && Data.Employee(sender) is null) return Answers.Error(40003);
        var task = new MsgTemplate { MsgId = Paging.NewId("msg"), ChatType = chatType, Sender = sender, Request = request.Body };
        var failed = new List<string>();
        if (chatType == "group")
        {
            if (sender is null) return Answers.Error(40058, "sender required for group");
            foreach (var id in chats)
                if (Data.Chat(id) is { } chat && chat.Owner == sender) task.Results.Add(new SendResult { ChatId = id, UserId = sender });
                else failed.Add(id);
        }
        else
        {
            if (customers.Count == 0 && sender is null) return Answers.Error(40058, "external_userid and sender both empty");
            if (customers.Count == 0)
                customers = Data.ExternalContacts.Where(c => c.FollowUsers.Any(f => f.UserId == sender)).Select(c => c.ExternalUserId).ToList();
            foreach (var id in customers)
            {
                var follow = Data.Contact(id)?.FollowUsers.Find(f => sender is null || f.UserId == sender);
                if (follow is null) failed.Add(id);
                else task.Results.Add(new SendResult { ExternalUserId = id, UserId = follow.UserId });
            }
        }
        if (task.Results.Count == 0) return Answers.Error(41048, "no valid recipient");
        Data.MsgTemplates.Add(task);
        return Answers.Ok(new JsonObject { ["fail_list"] = Answers.Array(failed), ["msgid"] = task.MsgId });
    }

    private JsonObject GetGroupMsgSendResult(FakeRequest request)
    {
        var task = Data.MsgTemplates.Find(t => t.MsgId == request.String("msgid"));
        if (task is null) return Answers.Error(41063, "invalid msgid");
        var userId = request.String("userid");
        var rows = task.Results.Where(r => r.UserId == userId).ToList();
        var (page, next) = Paging.Page(rows, request.String("cursor"), request.Int("limit") ?? 500);
        return Answers.Ok(new JsonObject { ["next_cursor"] = next, ["send_list"] = Answers.Node(page) });
    }

    private JsonObject SendWelcomeMsg(FakeRequest request)
    {
        var now = Time.GetUtcNow();
        var welcome = Data.WelcomeCodes.Find(w => w.Code == request.String("welcome_code"));
        if (welcome is null || welcome.Used || now - welcome.IssuedAt > _options.WelcomeCodeLifetime)
            return Answers.Error(41051);
        welcome.Used = true;
        Data.SentWelcomeMessages.Add(new SentMessage(welcome.ExternalUserId, request.Body, now));
        return Answers.Ok();
    }

    private JsonObject SendAppMessage(FakeRequest request)
    {
        var toUser = request.String("touser") ?? "";
        var users = toUser == "@all"
            ? Data.Employees.Select(e => e.UserId).ToList()
            : toUser.Split('|', StringSplitOptions.RemoveEmptyEntries).ToList();
        var invalidUsers = users.Where(u => Data.Employee(u) is null).ToList();
        var parties = (request.String("toparty") ?? "").Split('|', StringSplitOptions.RemoveEmptyEntries);
        var tags = (request.String("totag") ?? "").Split('|', StringSplitOptions.RemoveEmptyEntries);
        var valid = users.Except(invalidUsers).ToList();
        if (valid.Count == 0) return Answers.Error(81013);
        var msgId = Paging.NewId("appmsg");
        Data.SentAppMessages.Add(new SentMessage(string.Join('|', valid), request.Body, Time.GetUtcNow(), msgId));
        return Answers.Ok(new JsonObject
        {
            ["invaliduser"] = string.Join('|', invalidUsers),
            ["invalidparty"] = string.Join('|', parties),
            ["invalidtag"] = string.Join('|', tags),
            ["unlicenseduser"] = "",
            ["msgid"] = msgId,
            ["response_code"] = "",
        });
    }
}
