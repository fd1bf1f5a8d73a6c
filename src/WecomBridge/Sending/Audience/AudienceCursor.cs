namespace WecomBridge.Sending.Audience;

/// <summary>
/// Where an expansion goes on: the next page's number and the last external user id before it (keyset), stored in the
/// ledger once a page's tasks are queued. Null: every page is queued.
/// </summary>
internal sealed record AudienceCursor(int Page, string? After)
{
    private const string Done = "done";

    public static AudienceCursor? Read(IReadOnlyDictionary<string, string> fields)
    {
        if (!fields.TryGetValue(AudienceProgress.CursorField, out var value)) return new AudienceCursor(0, null);
        if (value == Done) return null;
        var split = value.IndexOf('\n');
        return new AudienceCursor(int.Parse(value[..split], System.Globalization.CultureInfo.InvariantCulture), value[(split + 1)..]);
    }

    public static KeyValuePair<string, string> Write(AudienceCursor? next) =>
        new(AudienceProgress.CursorField, next is null ? Done : $"{next.Page}\n{next.After}");
}
