namespace WecomBridge.Callbacks;

/// <summary>What every callback request is checked for before its content is looked at.</summary>
internal static class CallbackRequest
{
    /// <summary>The body, or null when it is larger than <paramref name="maxBytes"/>.</summary>
    public static async Task<ReadOnlyMemory<byte>?> ReadBodyAsync(HttpRequest request, int maxBytes)
    {
        if (request.ContentLength > maxBytes) return null;
        if (request.ContentLength is { } length)
        {
            var exact = new byte[length];
            await request.Body.ReadExactlyAsync(exact, request.HttpContext.RequestAborted);
            return exact;
        }
        var body = new MemoryStream(4096);
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (body.Length + read > maxBytes) return null;
            body.Write(chunk, 0, read);
        }
        return new ReadOnlyMemory<byte>(body.GetBuffer(), 0, (int)body.Length);
    }

    public static IResult Refuse(int status, string reason) =>
        Results.Problem(statusCode: status, title: "Callback refused", detail: reason);
}
