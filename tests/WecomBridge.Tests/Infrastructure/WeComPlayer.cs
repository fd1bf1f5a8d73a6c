using WecomBridge.Fakes.Callbacks;

namespace WecomBridge.Tests.Infrastructure;

/// <summary>
/// Delivers callbacks the way WeCom does: waits up to 5 s for an answer and re-sends the same callback
/// only when the connection fails or times out, never after an HTTP error status.
/// </summary>
public sealed class WeComPlayer(string callbackUrl) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(30) })
    {
        Timeout = TimeSpan.FromSeconds(5),
    };

    public int Resends;
    public readonly List<int> ErrorStatuses = [];

    /// <summary>Delivers until answered; returns the status. Gives up (throws) after <paramref name="giveUpAfter"/>.</summary>
    public async Task<int> DeliverAsync(CallbackRequest callback, TimeSpan? giveUpAfter = null)
    {
        var deadline = DateTime.UtcNow + (giveUpAfter ?? TimeSpan.FromSeconds(90));
        while (true)
        {
            try
            {
                using var response = await _http.SendAsync(callback.ToHttpRequest(callbackUrl));
                var status = (int)response.StatusCode;
                if (status != 200) lock (ErrorStatuses) ErrorStatuses.Add(status);
                return status;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && DateTime.UtcNow < deadline)
            {
                Interlocked.Increment(ref Resends);
                await Task.Delay(100);
            }
        }
    }

    public void Dispose() => _http.Dispose();
}
