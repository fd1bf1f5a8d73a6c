namespace WecomBridge.Fakes.Callbacks;

/// <summary>
/// Every simulated event by name, built from simple string options (the standalone "simulate" command uses it).
/// Options: user, external, state, welcome-code, source, fail-reason, chat, detail, join-scene, quit-scene,
/// members (comma list), last-ver, cur-ver, id, tag-type, strategy, name, department, content, msgid,
/// openid, gh-id, scene, ticket, key, view-url, status. Missing options get sample values.
/// </summary>
public static class SimulatedEvents
{
    public static readonly IReadOnlyList<string> WeComNames =
    [
        "add_external_contact", "edit_external_contact", "add_half_external_contact", "del_external_contact",
        "del_follow_user", "transfer_fail", "msg_audit_approved",
        "chat_create", "chat_update", "chat_dismiss",
        "tag_create", "tag_update", "tag_delete", "tag_shuffle",
        "create_user", "update_user", "delete_user", "create_party", "update_party", "delete_party", "update_tag",
        "text",
    ];

    public static readonly IReadOnlyList<string> OaNames =
    [
        "oa_subscribe", "oa_unsubscribe", "oa_scan", "oa_location", "oa_click", "oa_view",
        "oa_templatesendjobfinish", "oa_masssendjobfinish", "oa_text",
    ];

    public static bool IsOa(string name) => OaNames.Contains(name);

    /// <summary>The plaintext XML of a WeCom event for the corp.</summary>
    public static string BuildWeCom(string name, string corpId, IReadOnlyDictionary<string, string> o)
    {
        string? Opt(string key) => o.TryGetValue(key, out var v) ? v : null;
        string Get(string key, string sample) => Opt(key) ?? sample;
        int? Int(string key) => Opt(key) is { } v ? int.Parse(v) : null;
        string user = Get("user", "zhangsan"), external = Get("external", "wmAlice");
        var members = Get("members", "wmAlice,lisi").Split(',', StringSplitOptions.RemoveEmptyEntries);
        return name switch
        {
            "add_external_contact" or "add_half_external_contact" => WeComEvents.ExternalContact(corpId, name, user, external,
                state: Opt("state"), welcomeCode: Get("welcome-code", "WELCOMECODE")),
            "edit_external_contact" or "del_follow_user" => WeComEvents.ExternalContact(corpId, name, user, external),
            "del_external_contact" => WeComEvents.ExternalContact(corpId, name, user, external, source: Opt("source")),
            "transfer_fail" => WeComEvents.ExternalContact(corpId, name, user, external, failReason: Get("fail-reason", "customer_refused")),
            "msg_audit_approved" => WeComEvents.ExternalContact(corpId, name, user, external, welcomeCode: Opt("welcome-code")),
            "chat_create" or "chat_dismiss" => WeComEvents.ExternalChat(corpId, name[5..], Get("chat", "wrChatVip")),
            "chat_update" => ChatUpdate(corpId, Get("chat", "wrChatVip"), Get("detail", "add_member"), Int("join-scene"), Int("quit-scene"),
                members, Get("last-ver", "v1"), Get("cur-ver", "v2")),
            "tag_create" or "tag_update" or "tag_delete" => WeComEvents.ExternalTag(corpId, name[4..], Get("id", "etTagVip"), Get("tag-type", "tag")),
            "tag_shuffle" => WeComEvents.ExternalTag(corpId, "shuffle", Get("id", "etGroupLevel"), strategyId: Opt("strategy")),
            "create_user" or "update_user" or "delete_user" => WeComEvents.Contact(corpId, name, Fields(o,
                ("UserID", "user", user), ("Name", "name", null), ("Department", "department", null))),
            "create_party" or "update_party" or "delete_party" => WeComEvents.Contact(corpId, name, Fields(o,
                ("Id", "id", "2"), ("Name", "name", null))),
            "update_tag" => WeComEvents.Contact(corpId, name, Fields(o,
                ("TagId", "id", "1"), ("AddUserItems", "members", null))),
            "text" => WeComEvents.Text(corpId, user, Get("content", "hello"), Get("msgid", DateTime.UtcNow.Ticks.ToString())),
            _ => throw new ArgumentException($"Unknown WeCom event '{name}'.", nameof(name)),
        };
    }

    /// <summary>The plaintext XML of an Official Account event for the gh_ id.</summary>
    public static string BuildOa(string name, string ghId, IReadOnlyDictionary<string, string> o)
    {
        string? Opt(string key) => o.TryGetValue(key, out var v) ? v : null;
        string Get(string key, string sample) => Opt(key) ?? sample;
        var openId = Get("openid", "oAlice");
        return name switch
        {
            "oa_subscribe" => OfficialAccountEvents.Subscribe(ghId, openId, Opt("scene"), Opt("ticket")),
            "oa_unsubscribe" => OfficialAccountEvents.Unsubscribe(ghId, openId),
            "oa_scan" => OfficialAccountEvents.Scan(ghId, openId, Get("scene", "123"), Get("ticket", "TICKET")),
            "oa_location" => OfficialAccountEvents.Location(ghId, openId, 23.137466, 113.352425, 119.385040),
            "oa_click" => OfficialAccountEvents.Click(ghId, openId, Get("key", "MENU_KEY")),
            "oa_view" => OfficialAccountEvents.View(ghId, openId, Get("view-url", "https://example.com/"), Opt("menu-id")),
            "oa_templatesendjobfinish" =>
                OfficialAccountEvents.TemplateSendJobFinish(ghId, openId, Get("msgid", "200163836"), Get("status", "success")),
            "oa_masssendjobfinish" =>
                OfficialAccountEvents.MassSendJobFinish(ghId, openId, Get("msgid", "1000001625"), Get("status", "send success")),
            "oa_text" => OfficialAccountEvents.Text(ghId, openId, Get("content", "hello"), Get("msgid", DateTime.UtcNow.Ticks.ToString())),
            _ => throw new ArgumentException($"Unknown Official Account event '{name}'.", nameof(name)),
        };
    }

    private static string ChatUpdate(string corpId, string chatId, string detail, int? joinScene, int? quitScene,
        string[] members, string lastVer, string curVer)
    {
        var memberChange = detail is "add_member" or "del_member";
        return WeComEvents.ExternalChat(corpId, "update", chatId, detail,
            joinScene: detail == "add_member" ? joinScene ?? 0 : null,
            quitScene: detail == "del_member" ? quitScene ?? 0 : null,
            members: memberChange ? members : null, lastMemVer: lastVer, curMemVer: curVer);
    }

    private static IEnumerable<(string, string)> Fields(
        IReadOnlyDictionary<string, string> o, params (string Xml, string Option, string? Sample)[] map) =>
        map.Select(m => (m.Xml, o.TryGetValue(m.Option, out var v) ? v : m.Sample))
            .Where(f => f.Item2 is not null).Select(f => (f.Xml, f.Item2!));
}
