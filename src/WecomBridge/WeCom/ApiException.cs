using System.Net;

namespace WecomBridge.WeCom;

/// <summary>
/// A WeCom or Official Account call that failed: the errcode WeCom answered, or a transport failure (no errcode).
/// Carries the API path only, never the query (which holds the access token or secret).
/// </summary>
public sealed class ApiException : Exception
{
    public ApiException(string path, int errCode, string? errMsg, ApiErrorClass errorClass)
        : base($"{path} answered errcode {errCode} ({errMsg}): {errorClass}")
    {
        Path = path;
        ErrCode = errCode;
        ErrMsg = errMsg;
        Class = errorClass;
    }

    private ApiException(string path, ApiErrorClass errorClass, bool outcomeUnknown, string message, Exception? inner, int? status = null)
        : base($"{path}: {message}", inner)
    {
        Path = path;
        Class = errorClass;
        OutcomeUnknown = outcomeUnknown;
        HttpStatus = status;
    }

    /// <summary>For example "/cgi-bin/externalcontact/get".</summary>
    public string Path { get; }
    public int? ErrCode { get; }
    public string? ErrMsg { get; }
    public ApiErrorClass Class { get; }
    public int? HttpStatus { get; }

    /// <summary>Set when the call did not leave because its bucket is paused (a throttle met at departure) until then.</summary>
    public DateTimeOffset? PausedUntil { get; private init; }

    /// <summary>
    /// True when the request may have reached the server and been acted on (dropped connection after sending,
    /// timeout, HTTP 5xx, unreadable answer). A call that creates something must not be repeated blindly then.
    /// </summary>
    public bool OutcomeUnknown { get; }

    internal static ApiException Transport(string path, HttpRequestException e) => e.HttpRequestError switch
    {
        // The connection was never established: the request certainly did not reach the server.
        HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError =>
            new(path, ApiErrorClass.Transient, outcomeUnknown: false, $"could not connect ({e.HttpRequestError})", e),
        _ => new(path, ApiErrorClass.Transient, outcomeUnknown: true, $"connection failed after sending ({e.HttpRequestError})", e),
    };

    internal static ApiException Status(string path, HttpStatusCode status) => (int)status switch
    {
        >= 500 => new(path, ApiErrorClass.Transient, outcomeUnknown: true, $"HTTP {(int)status}", null, (int)status),
        429 => new(path, ApiErrorClass.Throttled, outcomeUnknown: false, "HTTP 429", null, 429),
        _ => new(path, ApiErrorClass.Permanent, outcomeUnknown: false, $"HTTP {(int)status}", null, (int)status),
    };

    internal static ApiException Unreadable(string path, Exception? inner) =>
        new(path, ApiErrorClass.Transient, outcomeUnknown: true, "unreadable answer", inner);

    internal static ApiException NotSent(string path, string message, Exception? inner = null) =>
        new(path, ApiErrorClass.Transient, outcomeUnknown: false, message, inner);

    /// <summary>Held back before sending by a pause of its bucket (a throttle) that ends at <paramref name="until"/>.</summary>
    internal static ApiException Paused(string path, DateTimeOffset until) =>
        new(path, ApiErrorClass.Throttled, outcomeUnknown: false, $"not sent: the API is paused until {until:u}", null) { PausedUntil = until };

    internal static ApiException Timeout(string path, Exception inner) =>
        new(path, ApiErrorClass.Transient, outcomeUnknown: true, "timed out", inner);
}
