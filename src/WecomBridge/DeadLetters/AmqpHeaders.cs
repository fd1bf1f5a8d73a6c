using System.Globalization;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;

namespace WecomBridge.DeadLetters;

/// <summary>
/// AMQP headers to JSON and back, for a dead letter's stored copy. MassTransit's fault headers (`MT-Fault-*`,
/// `MT-Reason`, `MT-Host-*`: where and why it faulted) are read into the letter's own fields and not replayed; every
/// other header is kept (strings, numbers, booleans; anything else as its text) and published again on replay.
/// </summary>
internal static class AmqpHeaders
{
    public const string FaultPrefix = "MT-Fault-";

    public static bool IsFaultHeader(string name) =>
        name.StartsWith(FaultPrefix, StringComparison.OrdinalIgnoreCase) || name.StartsWith("MT-Host-", StringComparison.OrdinalIgnoreCase)
        || name.Equals("MT-Reason", StringComparison.OrdinalIgnoreCase);

    public static string? Text(IDictionary<string, object?>? headers, string name) =>
        headers is not null && headers.TryGetValue(name, out var value) ? TextOf(value) : null;

    public static Dictionary<string, JsonElement> Kept(IDictionary<string, object?>? headers)
    {
        var kept = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (name, value) in headers ?? new Dictionary<string, object?>())
        {
            if (IsFaultHeader(name) || value is null) continue;
            kept[name] = value switch
            {
                bool b => JsonSerializer.SerializeToElement(b),
                byte or sbyte or short or ushort or int or uint or long =>
                    JsonSerializer.SerializeToElement(Convert.ToInt64(value, CultureInfo.InvariantCulture)),
                float or double or decimal => JsonSerializer.SerializeToElement(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
                _ => JsonSerializer.SerializeToElement(TextOf(value)),
            };
        }
        return kept;
    }

    public static Dictionary<string, object?> ToAmqp(IReadOnlyDictionary<string, JsonElement> headers) =>
        headers.ToDictionary(h => h.Key, h => h.Value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when h.Value.TryGetInt64(out var n) => n,
            JsonValueKind.Number => (object?)h.Value.GetDouble(),
            _ => h.Value.ToString(),
        }, StringComparer.Ordinal);

    private static string? TextOf(object? value) => value switch
    {
        null => null,
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        AmqpTimestamp t => DateTimeOffset.FromUnixTimeSeconds(t.UnixTime).ToString("O", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };
}
