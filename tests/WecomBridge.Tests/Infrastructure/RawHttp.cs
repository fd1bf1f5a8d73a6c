using System.Net.Sockets;
using System.Text;
using WecomBridge.Fakes.Callbacks;

namespace WecomBridge.Tests.Infrastructure;

/// <summary>
/// One HTTP/1.1 request on a fresh socket, returning every byte the server sent before it closed the
/// connection: "" means the connection was closed with no answer at all (not even a status line), which
/// an HttpClient cannot tell apart from other failures.
/// </summary>
public static class RawHttp
{
    public static async Task<string> SendAsync(string baseUrl, string path, CallbackRequest callback)
    {
        var uri = new Uri(baseUrl);
        var body = Encoding.UTF8.GetBytes(callback.Body ?? "");
        var head = $"{callback.Method} {path}?{callback.Query} HTTP/1.1\r\nHost: {uri.Authority}\r\n" +
                   $"Content-Type: text/xml; charset=utf-8\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(15)); // beyond any proxy timeout
        using var client = new TcpClient();
        await client.ConnectAsync(uri.Host, uri.Port, cancel.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), cancel.Token);
        if (callback.Body is not null) await stream.WriteAsync(body, cancel.Token);

        var received = new MemoryStream();
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cancel.Token)) > 0) received.Write(buffer, 0, read);
        }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
        {
            // A reset is a closed connection too; what came before it is the answer.
        }
        return Encoding.UTF8.GetString(received.ToArray());
    }

    /// <summary>The status code of a raw answer, or null when nothing came.</summary>
    public static int? Status(string answer) =>
        answer.Length == 0 ? null : int.Parse(answer.Split(' ', 3)[1]);
}
