using System.Text.Json;
using System.Text.Json.Nodes;
using WecomBridge.Fakes.Data;

namespace WecomBridge.Fakes.Server;

/// <summary>JSON answers in the WeCom/OA shape: errcode, errmsg, then the fields.</summary>
internal static class Answers
{
    public static JsonObject Ok(JsonObject? fields = null)
    {
        var answer = new JsonObject { ["errcode"] = 0, ["errmsg"] = "ok" };
        foreach (var (key, value) in fields ?? []) answer[key] = value?.DeepClone();
        return answer;
    }

    public static JsonObject Error(int errcode, string? message = null) =>
        new() { ["errcode"] = errcode, ["errmsg"] = message ?? Message(errcode) };

    public static JsonNode? Node<T>(T value) => JsonSerializer.SerializeToNode(value, Fixture.Json);

    public static JsonArray Array(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)v).ToArray());

    public static string Message(int errcode) => errcode switch
    {
        -1 => "system busy",
        40001 => "invalid credential",
        40003 => "invalid userid",
        40013 => "invalid corpid",
        40014 => "invalid access_token",
        40037 => "invalid template_id",
        40058 => "invalid parameter",
        40096 => "invalid external userid",
        41001 => "access_token missing",
        41051 => "externaluser has started chatting",
        42001 => "access_token expired",
        43004 => "require subscribe",
        45009 => "api freq out of limit",
        45015 => "response out of time limit or subscription is canceled",
        45033 => "api concurrent out of limit",
        48002 => "api forbidden",
        81013 => "user & party & tag all invalid",
        84061 => "not external contact",
        _ => "error",
    };
}
