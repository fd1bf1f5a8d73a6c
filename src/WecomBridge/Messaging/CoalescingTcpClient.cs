using System.Buffers;
using System.Net;
using System.Net.Sockets;
using RabbitMQ.Client;

namespace WecomBridge.Messaging;

/// <summary>
/// The socket RabbitMQ.Client gets for the shared connection (<see cref="RabbitMqConnection"/>), with writes that
/// arrive together sent together. RabbitMQ.Client writes each frame batch to its stream on its own; here a write is
/// copied into a buffer and the socket is written from the thread pool right after, with all that arrived meanwhile,
/// so publishes that come together cost one system call and one wake-up of the broker's reader instead of one each.
/// Reads are untouched. It relies on RabbitMQ.Client honouring ConnectionFactory.SocketFactory and writing through
/// the stream's WriteAsync (pinned by CoalescedConnectionTests); the effect is measured in docs/performance.md.
/// </summary>
internal sealed class CoalescingTcpClient(ITcpClient inner) : ITcpClient
{
    private CoalescingStream? _stream;

    /// <summary>The stream handed to RabbitMQ.Client, once it asked for it.</summary>
    public CoalescingStream? Stream => _stream;

    public bool Connected => inner.Connected;
    public Socket Client => inner.Client;

    public TimeSpan ReceiveTimeout
    {
        get => inner.ReceiveTimeout;
        set => inner.ReceiveTimeout = value;
    }

    public Task ConnectAsync(IPAddress host, int port, CancellationToken cancellationToken) =>
        inner.ConnectAsync(host, port, cancellationToken);

    public NetworkStream GetStream() => _stream ??= new CoalescingStream(inner.Client);

    public void Close() => inner.Close();

    public void Dispose() => inner.Dispose();
}

/// <summary>
/// A network stream whose writes return once copied; one send loop at a time writes what is buffered. A failed
/// send fails every later write, so the client's write loop stops and the connection is seen as broken. Writes
/// wait only when more than <see cref="MaxBuffered"/> bytes are waiting to be sent.
/// </summary>
internal sealed class CoalescingStream(Socket socket) : NetworkStream(socket, ownsSocket: false)
{
    public const int MaxBuffered = 1 << 20;

    private readonly Lock _lock = new();
    private ArrayBufferWriter<byte> _buffered = new(16 * 1024);
    private ArrayBufferWriter<byte> _sending = new(16 * 1024);
    private bool _sendScheduled;
    private Exception? _failure;
    private TaskCompletionSource? _room;
    private long _sends;
    private long _synchronousWrites;

    /// <summary>Sends made to the socket (for tests).</summary>
    public long Sends => Interlocked.Read(ref _sends);

    /// <summary>Writes through the blocking Write (for tests: RabbitMQ.Client is expected to use WriteAsync only).</summary>
    public long SynchronousWrites => Interlocked.Read(ref _synchronousWrites);

    /// <summary>Bytes written and not yet handed to the socket (for tests).</summary>
    public int Buffered { get { lock (_lock) return _buffered.WrittenCount; } }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Interlocked.Increment(ref _synchronousWrites);
        var room = Append(buffer);
        room?.GetAwaiter().GetResult();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return Append(buffer.Span) is { } room ? new ValueTask(room.WaitAsync(cancellationToken)) : default;
        }
        catch (IOException e)
        {
            return ValueTask.FromException(e);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() { }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Buffers the bytes; returns a task to wait on when the buffer is over its bound, else null.</summary>
    private Task? Append(ReadOnlySpan<byte> bytes)
    {
        bool schedule;
        Task? room = null;
        lock (_lock)
        {
            if (_failure is { } failure) throw new IOException("An earlier write to the socket failed.", failure);
            _buffered.Write(bytes);
            schedule = !_sendScheduled;
            _sendScheduled = true;
            if (_buffered.WrittenCount > MaxBuffered)
                room = (_room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
        if (schedule) ScheduleSend();
        return room;
    }

    // preferLocal: the send runs after the work item that wrote, so the writes of one pass of the client's write
    // loop (and of continuations queued meanwhile) go together.
    private void ScheduleSend() =>
        ThreadPool.UnsafeQueueUserWorkItem(static s => _ = s.SendLoopAsync(), this, preferLocal: true);

    private async Task SendLoopAsync()
    {
        while (true)
        {
            TaskCompletionSource? room;
            lock (_lock)
            {
                if (_buffered.WrittenCount == 0)
                {
                    _sendScheduled = false;
                    return;
                }
                (_buffered, _sending) = (_sending, _buffered);
                room = _room;
                _room = null;
            }
            room?.TrySetResult();
            Interlocked.Increment(ref _sends);
            try
            {
                await base.WriteAsync(_sending.WrittenMemory).ConfigureAwait(false); // the whole buffer, or throws
            }
            catch (Exception e)
            {
                lock (_lock)
                {
                    _failure = e;
                    room = _room;
                    _room = null;
                }
                room?.TrySetException(new IOException("A write to the socket failed.", e));
                return; // _sendScheduled stays set: nothing is sent after a failure
            }
            _sending.ResetWrittenCount();
        }
    }
}
