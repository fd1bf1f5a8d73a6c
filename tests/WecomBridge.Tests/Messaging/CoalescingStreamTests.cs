using System.Net;
using System.Net.Sockets;
using WecomBridge.Messaging;

namespace WecomBridge.Tests.Messaging;

/// <summary>
/// The publisher's socket stream: writes return once buffered and go out together, byte for byte and in order;
/// a failed send fails every later write; the buffer is bounded.
/// </summary>
public sealed class CoalescingStreamTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private Socket _client = null!;
    private Socket _server = null!;

    public async Task InitializeAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        _client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var accept = listener.AcceptAsync();
        await _client.ConnectAsync(listener.LocalEndPoint!);
        _server = await accept.WaitAsync(Bound);
    }

    public Task DisposeAsync()
    {
        _client.Dispose();
        _server.Dispose();
        return Task.CompletedTask;
    }

    private async Task<byte[]> ReceiveAsync(int count)
    {
        var received = new byte[count];
        var at = 0;
        using var timeout = new CancellationTokenSource(Bound);
        while (at < count)
        {
            var n = await _server.ReceiveAsync(received.AsMemory(at), SocketFlags.None, timeout.Token);
            Assert.True(n > 0, $"the connection ended after {at} of {count} bytes");
            at += n;
        }
        return received;
    }

    [Fact]
    public async Task Many_small_writes_arrive_whole_and_in_order_in_fewer_sends()
    {
        await using var stream = new CoalescingStream(_client);
        const int writes = 2000;
        var expected = new byte[writes * 7];
        for (var i = 0; i < expected.Length; i++) expected[i] = (byte)(i * 31 + i / 7);

        for (var i = 0; i < writes; i++) await stream.WriteAsync(expected.AsMemory(i * 7, 7));
        await stream.FlushAsync();

        Assert.Equal(expected, await ReceiveAsync(expected.Length));
        Assert.True(stream.Sends < writes / 2, $"{stream.Sends} sends for {writes} writes");
    }

    [Fact]
    public async Task Concurrent_writers_each_keep_their_bytes_together_and_in_order()
    {
        await using var stream = new CoalescingStream(_client);
        const int writers = 16, perWriter = 300, frame = 5; // [writer, sequence (3 bytes), checksum]
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            await start.Task;
            for (var s = 0; s < perWriter; s++)
            {
                byte[] bytes = [(byte)w, (byte)(s >> 16), (byte)(s >> 8), (byte)s, (byte)(w ^ s)];
                await stream.WriteAsync(bytes);
            }
        })).ToArray();
        start.SetResult();
        await Task.WhenAll(tasks).WaitAsync(Bound);

        var received = await ReceiveAsync(writers * perWriter * frame);
        var next = new int[writers];
        for (var at = 0; at < received.Length; at += frame)
        {
            int w = received[at], s = (received[at + 1] << 16) | (received[at + 2] << 8) | received[at + 3];
            Assert.Equal((byte)(w ^ s), received[at + 4]);
            Assert.Equal(next[w]++, s);
        }
        Assert.All(next, n => Assert.Equal(perWriter, n));
    }

    [Fact]
    public async Task After_a_failed_send_every_write_fails_instead_of_being_dropped()
    {
        await using var stream = new CoalescingStream(_client);
        _server.LingerState = new LingerOption(true, 0);
        _server.Close(); // reset: the client's sends fail

        var chunk = new byte[4096];
        var deadline = DateTime.UtcNow + Bound;
        IOException? failure = null;
        while (failure is null && DateTime.UtcNow < deadline)
        {
            try
            {
                await stream.WriteAsync(chunk);
                await Task.Yield(); // let the send loop run
            }
            catch (IOException e)
            {
                failure = e;
            }
        }
        Assert.NotNull(failure);
        await Assert.ThrowsAsync<IOException>(async () => await stream.WriteAsync(chunk));
        Assert.Throws<IOException>(() => stream.Write(chunk, 0, chunk.Length));
    }

    [Fact]
    public async Task Writes_wait_while_more_than_the_bound_is_unsent_and_go_on_when_the_peer_reads()
    {
        await using var stream = new CoalescingStream(_client);
        var chunk = new byte[64 * 1024];
        long written = 0;
        ValueTask pending = default;
        // The peer does not read: the kernel's buffers fill, the send blocks, then the stream's buffer grows to
        // its bound and a write has to wait.
        while (written < 512L * 1024 * 1024)
        {
            pending = stream.WriteAsync(chunk);
            written += chunk.Length;
            if (!pending.IsCompleted) break;
            await pending;
        }
        Assert.False(pending.IsCompleted, $"no write waited after {written} bytes");
        Assert.True(stream.Buffered <= CoalescingStream.MaxBuffered + chunk.Length, $"{stream.Buffered} bytes buffered");

        var reading = ReceiveAsync(checked((int)written));
        await pending.AsTask().WaitAsync(Bound);
        Assert.Equal(written, (await reading).LongLength);
    }
}
