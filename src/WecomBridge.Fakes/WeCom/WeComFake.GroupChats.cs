using System.Text.Json.Nodes;
using WecomBridge.Fakes.Server;

namespace WecomBridge.Fakes;

public sealed partial class WeComFake
{
    private void MapGroupChats()
    {
        Map("POST", Api + "externalcontact/groupchat/list", ListGroupChats);
        Map("POST", Api + "externalcontact/groupchat/get", GetGroupChat);
    }

    private JsonObject ListGroupChats(FakeRequest request)
    {
        var limit = request.Int("limit") ?? 0;
        if (limit is < 1 or > 1000) return Answers.Error(40058, "invalid limit");
        var status = request.Int("status_filter") ?? 0;
        var owners = request.Body["owner_filter"]?["userid_list"] is JsonArray list
            ? list.Select(n => n?.GetValue<string>()).ToList()
            : null;
        var chats = Data.GroupChats
            .Where(c => status == 0 ? c.Status == 0 : c.Status != 0)
            .Where(c => owners is null || owners.Contains(c.Owner))
            .ToList();
        var (page, next) = Paging.Page(chats, request.String("cursor"), limit);
        var items = page.Select(c => (JsonNode?)new JsonObject { ["chat_id"] = c.ChatId, ["status"] = c.Status });
        return Answers.Ok(new JsonObject { ["group_chat_list"] = new JsonArray(items.ToArray()), ["next_cursor"] = next });
    }

    private JsonObject GetGroupChat(FakeRequest request)
    {
        if (Data.Chat(request.String("chat_id")) is not { } chat) return Answers.Error(40050, "chat not exists");
        var json = Answers.Node(chat)!.AsObject();
        json.Remove("status");
        if (request.Int("need_name") != 1)
            foreach (var member in json["member_list"]!.AsArray()) member!.AsObject().Remove("name");
        return Answers.Ok(new JsonObject { ["group_chat"] = json });
    }
}
