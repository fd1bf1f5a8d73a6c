using System.Net.Sockets;
using System.Text;

namespace WecomBridge.Bench;

/// <summary>
/// A minimal HTTP/1.1 keep-alive client for the closed-loop load runs, in the manner of wrk: one socket per
/// loop, the request written as one buffer (request line, Host, Content-Type, Content-Length, body), the answer
/// read to the end of its headers and its Content-Length (or chunked) body. It costs the shared CPUs a fraction
/// of HttpClient's per-request work, so that more of the machine measures the server. A failed or closed
/// connection gives status -1 (no answer) and is opened again for the next request.
/// </summary>
internal sealed class RawHttpConnection(Uri server) : IDisposable
{
    private readonly byte[] _buffer = new byte[16 * 1024];
    private byte[] _request = new byte[4096];
    private Socket? _socket;

    public async Task<int> PostAsync(string pathAndQuery, byte[] body, string contentType)
    {
        var length = Encode(pathAndQuery, body, contentType);
        try
        {
            _socket ??= await ConnectAsync();
            await _socket.SendAsync(_request.AsMemory(0, length));
            var (status, close) = await ReadResponseAsync(_socket);
            if (close) Close();
            return status;
        }
        catch (Exception e) when (e is SocketException or IOException or InvalidDataException or ObjectDisposedException)
        {
            Close();
            return -1;
        }
    }

    private int Encode(string pathAndQuery, byte[] body, string contentType)
    {
        var head = $"POST {pathAndQuery} HTTP/1.1\r\nHost: {server.Authority}\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\n\r\n";
        var needed = Encoding.ASCII.GetByteCount(head) + body.Length;
        if (needed > _request.Length) _request = new byte[needed];
        var n = Encoding.ASCII.GetBytes(head, _request);
        body.CopyTo(_request, n);
        return n + body.Length;
    }

    private async Task<Socket> ConnectAsync()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(server.Host, server.Port);
        return socket;
    }

    /// <summary>Reads one answer; returns its status and whether the server closes the connection.</summary>
    private async Task<(int Status, bool Close)> ReadResponseAsync(Socket socket)
    {
        var filled = 0;
        int headerEnd;
        while ((headerEnd = _buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (filled == _buffer.Length) throw new InvalidDataException("headers larger than the buffer");
            var read = await socket.ReceiveAsync(_buffer.AsMemory(filled));
            if (read == 0) throw new IOException("connection closed");
            filled += read;
        }
        var headers = Encoding.ASCII.GetString(_buffer, 0, headerEnd);
        var status = int.Parse(headers.AsSpan(9, 3));
        var close = false;
        var contentLength = 0;
        var chunked = false;
        foreach (var line in headers.Split("\r\n").Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon < 0) continue;
            var name = line.AsSpan(0, colon).Trim();
            var value = line.AsSpan(colon + 1).Trim();
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) contentLength = int.Parse(value);
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)) chunked = value.Contains("chunked", StringComparison.OrdinalIgnoreCase);
            else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase)) close = value.Equals("close", StringComparison.OrdinalIgnoreCase);
        }
        var have = filled - (headerEnd + 4);
        if (chunked)
        {
            // Small bodies only (error answers): keep reading until the last chunk's terminator.
            var rest = new List<byte>(_buffer.AsSpan(headerEnd + 4, have).ToArray());
            while (!EndsChunked(rest))
            {
                var read = await socket.ReceiveAsync(_buffer.AsMemory());
                if (read == 0) throw new IOException("connection closed");
                rest.AddRange(_buffer.AsSpan(0, read).ToArray());
            }
        }
        else
        {
            for (var left = contentLength - have; left > 0;)
            {
                var read = await socket.ReceiveAsync(_buffer.AsMemory(0, Math.Min(left, _buffer.Length)));
                if (read == 0) throw new IOException("connection closed");
                left -= read;
            }
        }
        return (status, close);
    }

    private static bool EndsChunked(List<byte> body) =>
        body.Count >= 5 && body[^5] == '0' && body[^4] == '\r' && body[^3] == '\n' && body[^2] == '\r' && body[^1] == '\n';

    private void Close()
    {
        _socket?.Dispose();
        _socket = null;
    }

    public void Dispose() => Close();
}
