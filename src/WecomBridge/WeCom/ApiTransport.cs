using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace WecomBridge.WeCom;

/// <summary>
/// One attempt of one call: send, read the JSON answer, classify its errcode, and turn every failure into an
/// <see cref="ApiException"/> that says its class and whether the server may have acted.
/// </summary>
internal static class ApiTransport
{
    /// <summary>
    /// When this attempt's request was handed over (a <see cref="Stopwatch"/> timestamp), before the call gate's mark and
    /// the pacing waits: what those take comes out of the attempt's timeout, and the pacing handler sends only while
    /// enough of it is left for the call (a call cut off by the timeout after it left has an unknown outcome).
    /// </summary>
    public static readonly HttpRequestOptionsKey<long> Started = new("wecombridge.attempt-started");

    public static async Task<T> SendAsync<T>(
        HttpClient http, HttpRequestMessage request, JsonTypeInfo<T> answer, Func<int, ApiErrorClass> classify, string path,
        CancellationToken ct) where T : ApiResult
    {
        request.Options.Set(Started, Stopwatch.GetTimestamp());
        if (CallGate.For(path) is not { } gate) return await SendOnceAsync(http, request, answer, classify, path, ct);
        await gate.BeforeSend(ct);
        try
        {
            return await SendOnceAsync(http, request, answer, classify, path, ct);
        }
        catch (Exception e) when (CallGate.MayHaveReached(e))
        {
            gate.InDoubt();
            throw;
        }
    }

    private static async Task<T> SendOnceAsync<T>(
        HttpClient http, HttpRequestMessage request, JsonTypeInfo<T> answer, Func<int, ApiErrorClass> classify, string path,
        CancellationToken ct) where T : ApiResult
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (HttpRequestException e)
        {
            throw ApiException.Transport(path, e);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode) throw ApiException.Status(path, response.StatusCode);
            var result = await ReadAsync(response, answer, path, ct);
            var errorClass = classify(result.ErrCode);
            if (errorClass != ApiErrorClass.Success) throw new ApiException(path, result.ErrCode, result.ErrMsg, errorClass);
            return result;
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> answer, string path, CancellationToken ct)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync(answer, ct) ?? throw ApiException.Unreadable(path, null);
        }
        catch (Exception e) when (e is JsonException or HttpRequestException or IOException)
        {
            throw ApiException.Unreadable(path, e);
        }
    }

    /// <summary>
    /// A JSON body with its Content-Length (JsonContent would stream it chunked, which some gateways refuse).
    /// </summary>
    public static HttpContent Json<T>(T body, JsonTypeInfo<T> info)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, info));
        content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        return content;
    }

    /// <summary>"a=1&amp;b=x" with every value escaped; null values are left out.</summary>
    public static string Query(params (string Name, string? Value)[] parameters) =>
        string.Join('&', parameters.Where(p => p.Value is not null).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}"));
}
