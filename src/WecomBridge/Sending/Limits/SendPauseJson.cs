using System.Text.Json;
using StackExchange.Redis;

namespace WecomBridge.Sending.Limits;

/// <summary>A pause as the store keeps it: web JSON (camelCase); anything that does not read as a pause is none.</summary>
internal static class SendPauseJson
{
    private const int MaxLength = 16 * 1024;

    public static string Write(SendPause pause) => JsonSerializer.Serialize(pause, JsonSerializerOptions.Web);

    public static SendPause? Read(RedisValue value) => value.IsNullOrEmpty ? null : Read((string)value!);

    public static SendPause? Read(string json)
    {
        if (json.Length > MaxLength) return null;
        try
        {
            return JsonSerializer.Deserialize<SendPause>(json, JsonSerializerOptions.Web) is { Scope.Length: > 0, Cause.Length: > 0 } pause
                ? pause : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
