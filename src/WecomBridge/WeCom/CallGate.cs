namespace WecomBridge.WeCom;

/// <summary>
/// Lets a caller act at the one moment that decides whether a call may have reached the server: just before each
/// HTTP request to one API path leaves (after its access token, whose fetch is another path), and when such a request
/// ends without a known outcome. The send dispatcher records there that a send may have reached WeCom, so that a send
/// that failed earlier (token fetch, shutdown) is never taken for one that might have been delivered.
/// </summary>
internal static class CallGate
{
    private static readonly AsyncLocal<Watch?> Current = new();

    /// <param name="Path">The API path as the clients name it, e.g. "/cgi-bin/message/send".</param>
    /// <param name="BeforeSend">Awaited before each request; an exception it throws stops the request (it is never sent).</param>
    /// <param name="InDoubt">Called when a request ended without a known outcome (it may have been acted on).</param>
    internal sealed record Watch(string Path, Func<CancellationToken, Task> BeforeSend, Action InDoubt);

    /// <summary>Runs <paramref name="call"/> with <paramref name="watch"/> on its requests (and only on its own).</summary>
    public static async Task<T> RunAsync<T>(Watch watch, Func<Task<T>> call)
    {
        // Set inside this async method: the value flows into the call and is gone for the caller when it returns.
        Current.Value = watch;
        return await call();
    }

    /// <summary>The watch on requests to <paramref name="path"/> in this flow, if any.</summary>
    public static Watch? For(string path) => Current.Value is { } watch && watch.Path == path ? watch : null;

    /// <summary>Whether a failed request may have been acted on: anything but a known refusal or a connection never made.</summary>
    public static bool MayHaveReached(Exception e) => e is not ApiException { OutcomeUnknown: false };
}
