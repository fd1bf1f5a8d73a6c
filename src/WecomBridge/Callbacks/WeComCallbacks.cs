using Microsoft.Extensions.Options;
using WecomBridge.Callbacks.Crypto;
using WecomBridge.Callbacks.Parsing;

namespace WecomBridge.Callbacks;

/// <summary>
/// GET|POST /callbacks/wecom/{corp}/{app}. GET answers the decrypted echostr alone; POST verifies the signature,
/// then the timestamp (a skewed clock must show up as such, not as bad input), decrypts, parses and makes the event
/// durable before answering 200 with an empty body.
/// </summary>
internal static partial class WeComCallbacks
{
    public static IResult VerifyUrl(
        string corp, string app, HttpRequest request, CallbackSources sources, ClockSkew clock, ILogger<CallbackSources> logger)
    {
        if (sources.WeCom(corp, app) is not { } source) return CallbackRequest.Refuse(404, "unknown corp or app");
        var q = request.Query;
        if (q["msg_signature"] is not [{ } signature] || q["timestamp"] is not [{ } timestamp]
            || q["nonce"] is not [{ } nonce] || q["echostr"] is not [{ } echo])
            return Refused(logger, source, 400, "msg_signature, timestamp, nonce and echostr are required");
        if (!source.Crypto.Verify(signature, timestamp, nonce, echo)) return Refused(logger, source, 403, "signature mismatch");
        if (clock.Check(timestamp, "wecom", source.Key) is { } stale) return Refused(logger, source, 400, stale);
        try
        {
            return Results.Text(source.Crypto.Decrypt(echo), "text/plain");
        }
        catch (CallbackCryptoException e)
        {
            return Refused(logger, source, 400, $"echostr does not decrypt ({e.Error})");
        }
    }

    public static async Task<IResult> Receive(
        string corp, string app, HttpContext context, CallbackSources sources, EventIntake intake, ClockSkew clock,
        GatewayMetrics metrics, IOptions<GatewayOptions> options, TimeProvider time, ILogger<CallbackSources> logger)
    {
        if (sources.WeCom(corp, app) is not { } source) return CallbackRequest.Refuse(404, "unknown corp or app");
        var o = options.Value;
        var q = context.Request.Query;
        if (q["msg_signature"] is not [{ } signature] || q["timestamp"] is not [{ } timestamp] || q["nonce"] is not [{ } nonce])
            return Refused(logger, source, 400, "msg_signature, timestamp and nonce are required", metrics);
        if (await CallbackRequest.ReadBodyAsync(context.Request, o.MaxBodyBytes) is not { } body)
            return Refused(logger, source, 413, $"body larger than {o.MaxBodyBytes} bytes", metrics);

        ParsedCallback parsed;
        try
        {
            var encrypt = CallbackXml.Parse(body)["Encrypt"];
            if (string.IsNullOrEmpty(encrypt)) return Refused(logger, source, 400, "no Encrypt element", metrics);
            if (!source.Crypto.Verify(signature, timestamp, nonce, encrypt)) return Refused(logger, source, 403, "signature mismatch", metrics);
            if (clock.Check(timestamp, "wecom", source.Key) is { } stale) return Refused(logger, source, 400, stale, metrics);
            var error = source.Crypto.TryDecrypt(encrypt, out var plain);
            if (error != CryptoError.None) return Refused(logger, source, 400, $"Encrypt does not decrypt ({error})", metrics);
            parsed = WeComCallbackParser.Parse(plain, source.Corp, source.App, source.CorpId, time.GetUtcNow());
        }
        catch (CallbackFormatException e)
        {
            return Refused(logger, source, 400, e.Message, metrics);
        }

        var outcome = await intake.AcceptAsync(parsed.Event, parsed.EventId, parsed.DedupeKey);
        metrics.Callback("wecom", outcome.ToString(), source.Corp, source.App, parsed.Event);
        if (outcome == IntakeOutcome.Unavailable)
        {
            context.Abort(); // no answer at all: WeCom retries only on a failed connection or a timeout
            return Results.Empty;
        }
        return Results.Ok();
    }

    private static IResult Refused(ILogger logger, CallbackSources.WeComSource source, int status, string reason, GatewayMetrics? metrics = null)
    {
        metrics?.Callback("wecom", "refused", source.Corp, source.App, refusedWith: status);
        Log.Refused(logger, source.Corp, source.App, status, reason);
        return CallbackRequest.Refuse(status, reason);
    }

    private static partial class Log
    {
        [LoggerMessage(30, LogLevel.Information, "WeCom callback for {Corp}/{App} refused with {Status}: {Reason}")]
        public static partial void Refused(ILogger logger, string corp, string app, int status, string reason);
    }
}
