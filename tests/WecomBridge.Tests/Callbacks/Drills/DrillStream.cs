using System.Text.Json;
using WecomBridge.Fakes.Callbacks;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Callbacks.Drills;

/// <summary>
/// A stream of distinct add_external_contact callbacks delivered by a <see cref="WeComPlayer"/> from a few
/// concurrent senders, with a count a drill can wait on to inject its fault mid-stream.
/// </summary>
internal sealed class DrillStream(int count)
{
    public const string CorpId = "wwdrill0000000001";
    public const string Token = "DrillToken1";
    public const string AesKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    public const string Exchange = "wecombridge.external-contact-added";

    private readonly string _prefix = "wmdrill" + Guid.NewGuid().ToString("N")[..8] + "-";
    private int _next = -1; // last index taken
    private int _delivered;

    public int Count => count;
    public int Delivered => Volatile.Read(ref _delivered);

    public static Dictionary<string, string?> Settings(string rabbitMq, string redis, string spoolPath) => new()
    {
        ["ConnectionStrings:RabbitMq"] = rabbitMq,
        ["ConnectionStrings:Redis"] = redis,
        ["WeCom:Corps:drill:CorpId"] = CorpId,
        ["WeCom:Corps:drill:Apps:crm:Token"] = Token,
        ["WeCom:Corps:drill:Apps:crm:EncodingAesKey"] = AesKey,
        ["Gateway:Spool:Path"] = spoolPath,
    };

    public static string CallbackUrl(string baseUrl) => baseUrl + "/callbacks/wecom/drill/crm";

    /// <summary>
    /// Delivers the next callbacks of the stream, up to number <paramref name="until"/> (the whole stream
    /// when null), from <paramref name="senders"/> concurrent senders. A drill runs it in parts, with its
    /// fault injected between or alongside them.
    /// </summary>
    public Task RunAsync(WeComPlayer player, int senders, int? until = null) =>
        Task.WhenAll(Enumerable.Range(0, senders).Select(_ => SendAsync(player, Math.Min(until ?? count, count), null)));

    /// <summary>
    /// Delivers callbacks for as long as <paramref name="fault"/> runs (up to number <paramref name="until"/>), so that
    /// the fault lands in the middle of the stream however long it takes to inject; then awaits it. Returns the number
    /// delivered when the fault was done, null when the stream got to <paramref name="until"/> first.
    /// </summary>
    public async Task<int?> RunDuringAsync(WeComPlayer player, int senders, Task fault, int until)
    {
        var sending = Task.WhenAll(Enumerable.Range(0, senders).Select(_ => SendAsync(player, Math.Min(until, count), fault)));
        await Task.WhenAny(sending, fault);
        int? delivered = fault.IsCompleted ? Delivered : null;
        await sending;
        await fault;
        return delivered;
    }

    private async Task SendAsync(WeComPlayer player, int until, Task? during)
    {
        var simulator = new CallbackSimulator();
        var app = new WeComCallbackApp(Token, AesKey, CorpId);
        while (during is not { IsCompleted: true })
        {
            var i = Interlocked.Increment(ref _next);
            if (i >= until)
            {
                Interlocked.Decrement(ref _next); // leave it for the next part
                return;
            }
            var xml = WeComEvents.ExternalContact(CorpId, "add_external_contact", "zhangsan", _prefix + i);
            await player.DeliverAsync(simulator.BuildWeComPost(app, xml));
            Interlocked.Increment(ref _delivered);
        }
    }

    /// <summary>This stream's messages among everything on the tap.</summary>
    public IReadOnlyList<JsonElement> Mine(IEnumerable<JsonElement> messages) => messages.Where(IsMine).ToList();

    /// <summary>Whether a message on the tap is one of this stream's callbacks.</summary>
    public bool IsMine(JsonElement message) =>
        message.GetProperty("externalUserId").GetString()!.StartsWith(_prefix, StringComparison.Ordinal);

    /// <summary>Number of distinct callbacks of this stream seen, and the number of extra copies.</summary>
    public (int Distinct, int Copies) Tally(IEnumerable<JsonElement> messages)
    {
        var ids = Mine(messages).Select(m => m.GetProperty("eventId").GetString()!).ToList();
        var distinct = ids.Distinct().Count();
        return (distinct, ids.Count - distinct);
    }
}
