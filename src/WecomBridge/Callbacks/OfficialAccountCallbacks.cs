using Microsoft.Extensions.Options;
using WecomBridge.Callbacks.Crypto;
using WecomBridge.Callbacks.Parsing;

namespace WecomBridge.Callbacks;

/// <summary>
/// GET|POST /callbacks/oa/{account}. GET echoes echostr unchanged. POST takes plaintext mode (when the
/// account has no EncodingAesKey) or compatible/safe mode (encrypt_type=aes, msg_signature over Encrypt;
/// required when a key is configured, since the plaintext signature does not cover the body).
/// Answers the literal `success` once the event is durable.
/// </summary>
internal static partial class OfficialAccountCallbacks
{
    public static IResult VerifyUrl(
        string account, HttpRequest request, CallbackSources sources, ClockSkew clock, ILogger<CallbackSources> logger)
    {
        if (sources.Account(account) is not { } source) return CallbackRequest.Refuse(404, "unknown account");
        var q = request.Query;
        if (q["signature"] is not [{ } signature] || q["timestamp"] is not [{ } timestamp]
            || q["nonce"] is not [{ } nonce] || q["echostr"] is not [{ } echo])
            return Refused(logger, account, 400, "signature, timestamp, nonce and echostr are required");
        if (!CallbackCrypto.VerifyParts(signature, source.Token, timestamp, nonce)) return Refused(logger, account, 403, "signature mismatch");
        return clock.Check(timestamp, "oa", account) is { } stale
            ? Refused(logger, account, 400, stale)
            : Results.Text(echo, "text/plain");
    }

    public static async Task<IResult> Receive(
        string account, HttpContext context, CallbackSources sources, EventIntake intake, ClockSkew clock,
        GatewayMetrics metrics, IOptions<GatewayOptions> options, TimeProvider time, ILogger<CallbackSources> logger)
    {
        if (sources.Account(account) is not { } source) return CallbackRequest.Refuse(404, "unknown account");
        var o = options.Value;
        var q = context.Request.Query;
        if (q["timestamp"] is not [{ } timestamp] || q["nonce"] is not [{ } nonce])
            return Refused(logger, account, 400, "timestamp and nonce are required", metrics);
        var encrypted = string.Equals(q["encrypt_type"], "aes", StringComparison.OrdinalIgnoreCase);
        if (source.Crypto is not null && !encrypted)
            return Refused(logger, account, 400, "this account is in safe mode: encrypt_type=aes is required", metrics);
        if (await CallbackRequest.ReadBodyAsync(context.Request, o.MaxBodyBytes) is not { } body)
            return Refused(logger, account, 413, $"body larger than {o.MaxBodyBytes} bytes", metrics);

        ParsedCallback parsed;
        try
        {
            ReadOnlyMemory<byte> xml;
            if (source.Crypto is { } crypto)
            {
                var encrypt = CallbackXml.Parse(body)["Encrypt"];
                if (string.IsNullOrEmpty(encrypt)) return Refused(logger, account, 400, "no Encrypt element", metrics);
                if (!crypto.Verify(q["msg_signature"], timestamp, nonce, encrypt))
                    return Refused(logger, account, 403, "signature mismatch", metrics);
                if (clock.Check(timestamp, "oa", account) is { } stale) return Refused(logger, account, 400, stale, metrics);
                var error = crypto.TryDecrypt(encrypt, out xml);
                if (error != CryptoError.None) return Refused(logger, account, 400, $"Encrypt does not decrypt ({error})", metrics);
            }
            else
            {
                if (encrypted) return Refused(logger, account, 400, "encrypt_type=aes but this account has no EncodingAesKey", metrics);
                if (!CallbackCrypto.VerifyParts(q["signature"], source.Token, timestamp, nonce))
                    return Refused(logger, account, 403, "signature mismatch", metrics);
                if (clock.Check(timestamp, "oa", account) is { } stale) return Refused(logger, account, 400, stale, metrics);
                xml = body;
            }
            parsed = OfficialAccountCallbackParser.Parse(xml, source.Account, source.AppId, time.GetUtcNow());
        }
        catch (CallbackFormatException e)
        {
            return Refused(logger, account, 400, e.Message, metrics);
        }

        var outcome = await intake.AcceptAsync(parsed.Event, parsed.EventId, parsed.DedupeKey);
        metrics.Callback("oa", outcome.ToString(), source.Account, null, parsed.Event);
        if (outcome == IntakeOutcome.Unavailable)
        {
            context.Abort();
            return Results.Empty;
        }
        return Results.Text("success", "text/plain");
    }

    private static IResult Refused(ILogger logger, string account, int status, string reason, GatewayMetrics? metrics = null)
    {
        metrics?.Callback("oa", "refused", account, null, refusedWith: status);
        Log.Refused(logger, account, status, reason);
        return CallbackRequest.Refuse(status, reason);
    }

    private static partial class Log
    {
        [LoggerMessage(31, LogLevel.Information, "Official Account callback for {Account} refused with {Status}: {Reason}")]
        public static partial void Refused(ILogger logger, string account, int status, string reason);
    }
}
