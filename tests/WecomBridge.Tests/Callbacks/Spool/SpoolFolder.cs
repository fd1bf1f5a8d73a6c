using Microsoft.Extensions.Options;
using WecomBridge.Callbacks;
using WecomBridge.Callbacks.Spool;
using WecomBridge.Contracts.Contacts;
using WecomBridge.Messaging;

namespace WecomBridge.Tests.Callbacks.Spool;

/// <summary>A spool in a folder of the test's own, and events to put in it.</summary>
internal sealed class SpoolFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("wb-spool").FullName;

    public EventSpool Open(long maxBytes = 1L << 30, int? maxEvents = null) =>
        new(Options.Create(new GatewayOptions { Spool = { Path = Path, MaxBytes = maxBytes, MaxEvents = maxEvents } }));

    public static readonly string AddedType = typeof(ExternalContactAdded).FullName!;
    public static readonly string EditedType = typeof(ExternalContactEdited).FullName!;

    /// <summary>A distinct ExternalContactAdded as the intake spools it: (type, eventId, body).</summary>
    public static (string Type, string EventId, byte[] Body) Added(string tag, int i, DateTimeOffset? occurredAt = null)
    {
        var now = DateTimeOffset.UtcNow;
        var added = new ExternalContactAdded(Guid.NewGuid().ToString("N"), "acme", "crm", "wwfakecorp0000001", occurredAt ?? now, now,
            "zhangsan", $"wm{tag}-{i:D6}", null, null);
        return (AddedType, added.EventId, EventJson.Serialize(added));
    }

    public static (string Type, string EventId, byte[] Body) Edited(string tag, int i)
    {
        var now = DateTimeOffset.UtcNow;
        var edited = new ExternalContactEdited(Guid.NewGuid().ToString("N"), "acme", "crm", "wwfakecorp0000001", now, now, "zhangsan", $"wm{tag}-{i:D6}");
        return (EditedType, edited.EventId, EventJson.Serialize(edited));
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { /* a process still holds it */ }
    }
}
