using System.Diagnostics;
using System.Globalization;
using RabbitMQ.Client;
using StackExchange.Redis;

namespace WecomBridge.Bench;

/// <summary>
/// To tell where a latency stall of the soak comes from: every 100 ms, one after the other, (1) how late the bench's own
/// timer woke up (the load generator itself, or the machine, did not get a CPU), (2) a persistent 1 KB publish with
/// publisher confirm to a durable queue of the soak's RabbitMQ (the gateway's publish path, without the gateway), and
/// (3) a PING to the soak's Redis (when given). Take() returns the longest of each since the last call (ms).
/// </summary>
internal sealed class Probes : IAsyncDisposable
{
    private const string Queue = "bench.probe";
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(100);
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private double _timer, _broker, _redis;
    private IConnection? _connection;
    private IChannel? _channel;
    private ConnectionMultiplexer? _redisConnection;
    private Task _loop = Task.CompletedTask;

    public static async Task<Probes> StartAsync(string amqp, string? redis)
    {
        var p = new Probes();
        p._connection = await new ConnectionFactory { Uri = new Uri(amqp) }.CreateConnectionAsync("bench-soak-probe");
        p._channel = await p._connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        // A durable queue that keeps only the last 100 probes: it does not grow over a long soak.
        await p._channel.QueueDeclareAsync(Queue, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-max-length"] = 100 });
        if (redis is not null) p._redisConnection = await ConnectionMultiplexer.ConnectAsync(redis);
        p._loop = Task.Run(p.RunAsync);
        return p;
    }

    private async Task RunAsync()
    {
        var body = new byte[1024];
        var properties = new BasicProperties { Persistent = true };
        var next = Stopwatch.GetTimestamp();
        while (!_stop.IsCancellationRequested)
        {
            next += (long)(Every.TotalSeconds * Stopwatch.Frequency);
            var wait = next - Stopwatch.GetTimestamp();
            if (wait > 0)
            {
                try { await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency), _stop.Token); }
                catch (OperationCanceledException) { return; }
            }
            var late = Ms(Stopwatch.GetTimestamp() - next);
            var t0 = Stopwatch.GetTimestamp();
            try { await _channel!.BasicPublishAsync("", Queue, mandatory: false, properties, body); }
            catch (Exception e) when (e is not OutOfMemoryException) { Console.Error.WriteLine($"probe: publish: {e.Message}"); }
            var broker = Ms(Stopwatch.GetTimestamp() - t0);
            var redis = 0.0;
            if (_redisConnection is not null)
            {
                t0 = Stopwatch.GetTimestamp();
                try { await _redisConnection.GetDatabase().PingAsync(); }
                catch (Exception e) when (e is RedisException or TimeoutException) { Console.Error.WriteLine($"probe: redis: {e.Message}"); }
                redis = Ms(Stopwatch.GetTimestamp() - t0);
            }
            lock (_gate) (_timer, _broker, _redis) = (Math.Max(_timer, late), Math.Max(_broker, broker), Math.Max(_redis, redis));
            if (Stopwatch.GetTimestamp() > next) next = Stopwatch.GetTimestamp(); // a long probe: no catch-up burst
        }
    }

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    /// <summary>The SOAK line's probe columns: the longest timer lateness, confirm and PING since the last call (ms).</summary>
    public string Take()
    {
        lock (_gate)
        {
            var line = string.Create(CultureInfo.InvariantCulture, $"probe_timer_ms={_timer:F1} probe_broker_ms={_broker:F1} probe_redis_ms={_redis:F1} ");
            _timer = _broker = _redis = 0;
            return line;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        if (_channel is not null) await _channel.DisposeAsync();
        if (_connection is not null) await _connection.DisposeAsync();
        _redisConnection?.Dispose();
        _stop.Dispose();
    }
}
