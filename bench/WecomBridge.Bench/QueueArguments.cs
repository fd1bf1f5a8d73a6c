namespace WecomBridge.Bench;

/// <summary>
/// The arguments of the durable queues the bench declares (the ceilings' queue and the consumers' queues bound to
/// the event exchanges): classic queues of version BENCH_QUEUE_VERSION, 2 unless set (`x-queue-version`, RabbitMQ
/// 3.10+, the only classic version from 4.0; 3.10's default is 1). Version 2 cost the broker 10–25 % less CPU per
/// persistent message here (docs/gateway-performance.md); an operator sets it for a CRM's queues with a policy.
/// </summary>
internal static class QueueArguments
{
    public static int Version => int.TryParse(Environment.GetEnvironmentVariable("BENCH_QUEUE_VERSION"), out var v) ? v : 2;

    public static IDictionary<string, object?> Get() => new Dictionary<string, object?> { ["x-queue-version"] = Version };
}
