using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;

namespace WecomBridge.Bench;

/// <summary>
/// The garbage collections of another .NET process (the gateway, the dispatcher), read live from its diagnostics
/// port: an EventPipe session with the runtime's GC keyword at Informational level (a few events per collection).
/// Take() returns and resets, since the last call: collections, gen2 collections, and the time the runtime was
/// paused for them (suspend start → restart end), summed and the longest. (Microsoft.Diagnostics.NETCore.Client and
/// TraceEvent come with BenchmarkDotNet.) When it cannot attach, it says so on stderr and counts nothing.
/// </summary>
internal sealed class GcWatch : IDisposable
{
    private readonly object _gate = new();
    private readonly EventPipeSession? _session;
    private int _collections, _gen2;
    private double _pauseMs, _maxPauseMs, _suspendedAt = -1, _heapMb;

    public GcWatch(int pid)
    {
        if (pid <= 0) return;
        try
        {
            var provider = new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, (long)ClrTraceEventParser.Keywords.GC);
            _session = new DiagnosticsClient(pid).StartEventPipeSession([provider], requestRundown: false);
            var source = new EventPipeEventSource(_session.EventStream);
            source.Clr.GCHeapStats += e => { lock (_gate) _heapMb = e.TotalHeapSize / 1048576.0; };
            source.Clr.GCStart += e => { lock (_gate) { _collections++; if (e.Depth == 2) _gen2++; } };
            source.Clr.GCSuspendEEStart += e => { lock (_gate) _suspendedAt = e.TimeStampRelativeMSec; };
            source.Clr.GCRestartEEStop += e =>
            {
                lock (_gate)
                {
                    if (_suspendedAt < 0) return;
                    var ms = e.TimeStampRelativeMSec - _suspendedAt;
                    _suspendedAt = -1;
                    _pauseMs += ms;
                    _maxPauseMs = Math.Max(_maxPauseMs, ms);
                }
            };
            // Process() blocks until the session ends: a thread of its own, not one of the load generator's thread pool
            // (on 2 cores the pool starts with 2 threads; each blocked one delayed the bench's timers by up to ~1 s).
            new Thread(() => { try { source.Process(); } catch (Exception) { /* the process exited or the session stopped */ } })
                { IsBackground = true, Name = "gc watch " + pid }.Start();
        }
        catch (Exception e) when (e is ServerNotAvailableException or UnsupportedCommandException or IOException or TimeoutException)
        {
            Console.Error.WriteLine($"gc watch: cannot attach to {pid}: {e.Message}");
        }
    }

    /// <summary>Since the last call; HeapMb: the managed heap after the latest collection so far (MiB).</summary>
    public (int Collections, int Gen2, double PauseMs, double MaxPauseMs, double HeapMb) Take()
    {
        lock (_gate)
        {
            var r = (_collections, _gen2, _pauseMs, _maxPauseMs, _heapMb);
            _collections = _gen2 = 0;
            _pauseMs = _maxPauseMs = 0;
            return r;
        }
    }

    public void Dispose()
    {
        try { _session?.Stop(); } catch (Exception) { /* already gone */ }
        _session?.Dispose();
    }
}
