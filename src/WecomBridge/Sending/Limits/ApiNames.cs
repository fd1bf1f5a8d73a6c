namespace WecomBridge.Sending.Limits;

/// <summary>The readable names of the paced APIs, the keys of Dispatch:*:Apis, from their paths.</summary>
internal static class ApiNames
{
    private static readonly Dictionary<string, string> ByPath = new()
    {
        ["externalcontact/add_msg_template"] = "add_msg_template",
        ["externalcontact/send_welcome_msg"] = "send_welcome_msg",
        ["externalcontact/add_moment_task"] = "add_moment_task",
        ["message/send"] = "message_send",
        ["message/template/send"] = "template_send",
        ["message/custom/send"] = "custom_send",
        ["externalcontact/batch/get_by_user"] = "batch_get_by_user",
        ["externalcontact/groupchat/list"] = "groupchat_list",
        ["externalcontact/groupchat/get"] = "groupchat_get",
        ["externalcontact/get_corp_tag_list"] = "get_corp_tag_list",
        ["user/get"] = "user_get",
        ["user/info"] = "user_info",
    };

    public static readonly IReadOnlySet<string> Known = ByPath.Values.ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>"externalcontact/add_msg_template" → "add_msg_template"; an unlisted path: its segments joined by '_'.</summary>
    public static string Of(string path) => ByPath.TryGetValue(path, out var name) ? name : path.Replace('/', '_');
}
