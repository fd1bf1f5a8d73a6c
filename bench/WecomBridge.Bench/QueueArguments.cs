namespace WecomBridge.Bench;

/// <summary>
/// The arguments of the durable queues the bench declares (the ceilings' queue and the consumers' queues bound to
/// the event exchanges), alike for all, so that "fraction of the ceiling" compares like with like:
/// <list type="bullet">
/// <item>classic queues of version BENCH_QUEUE_VERSION, 2 unless set (`x-queue-version`, RabbitMQ 3.10+, the only
/// classic version from 4.0; 3.10's default is 1). Version 2 cost the broker 10–25 % less CPU per persistent
/// message here.</item>
/// <item>mode BENCH_QUEUE_MODE, `lazy` unless set (`x-queue-mode`; `default` declares none): a lazy queue keeps its
/// backlog on disk instead of in the queue process's memory, as every classic queue does from RabbitMQ 3.12. On
/// 3.10 a default-mode queue that grows (the bench leaves its events unconsumed) stalls all its publishers at once
/// every few hundred milliseconds.</item>
/// </list>
/// An operator sets both for a CRM's queues with a policy (contracts/README.md; the measurements in docs/performance.md, "Queues for CRMs: lazy mode and version 2").
/// </summary>
internal static class QueueArguments
{
    public static int Version => int.TryParse(Environment.GetEnvironmentVariable("BENCH_QUEUE_VERSION"), out var v) ? v : 2;

    public static string Mode => Environment.GetEnvironmentVariable("BENCH_QUEUE_MODE") is { Length: > 0 } m ? m : "lazy";

    public static IDictionary<string, object?> Get()
    {
        var arguments = new Dictionary<string, object?> { ["x-queue-version"] = Version };
        if (Mode != "default") arguments["x-queue-mode"] = Mode;
        return arguments;
    }
}
