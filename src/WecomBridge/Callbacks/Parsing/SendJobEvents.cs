using System.Globalization;
using WecomBridge.Contracts.Followers;

namespace WecomBridge.Callbacks.Parsing;

/// <summary>TEMPLATESENDJOBFINISH and MASSSENDJOBFINISH: raw Status plus a normalized Outcome.</summary>
internal static class SendJobEvents
{
    public static TemplateSendJobFinished Template(CallbackXml x, in OfficialAccountSource s)
    {
        var status = x.Required("Status");
        return new TemplateSendJobFinished(
            s.EventId, s.Account, s.AppId, s.OriginalId, s.OccurredAt, s.ReceivedAt,
            x.Required("FromUserName"), MsgId(x), status, TemplateOutcome(status));
    }

    public static MassSendJobFinished Mass(CallbackXml x, in OfficialAccountSource s)
    {
        var status = x.Required("Status");
        var (outcome, errorCode) = MassOutcome(status);
        return new MassSendJobFinished(
            s.EventId, s.Account, s.AppId, s.OriginalId, s.OccurredAt, s.ReceivedAt,
            MsgId(x), status, outcome, errorCode,
            x.Int("TotalCount"), x.Int("FilterCount"), x.Int("SentCount"), x.Int("ErrorCount"),
            x.Int("CopyrightCheckResult/CheckState"), x.All("ArticleUrlResult/ResultList/item/ArticleUrl"));
    }

    /// <summary>success, user_blocked, system_failed, rate_limited, failed (other "failed:…"), unknown.</summary>
    public static string TemplateOutcome(string status)
    {
        var trimmed = status.Trim();
        if (trimmed.Equals("success", StringComparison.OrdinalIgnoreCase)) return "success";
        if (!trimmed.StartsWith("failed:", StringComparison.OrdinalIgnoreCase)) return "unknown";
        return trimmed["failed:".Length..].Trim().ToLowerInvariant() switch
        {
            "user block" => "user_blocked",
            "system failed" => "system_failed",
            "freq limit" => "rate_limited",
            _ => "failed",
        };
    }

    /// <summary>"send success" → success, "send fail" → failed, "err(NNNNN)" → error + code, else unknown.</summary>
    public static (string Outcome, int? ErrorCode) MassOutcome(string status)
    {
        var trimmed = status.Trim();
        if (trimmed.Equals("send success", StringComparison.OrdinalIgnoreCase)) return ("success", null);
        if (trimmed.Equals("send fail", StringComparison.OrdinalIgnoreCase)) return ("failed", null);
        if (trimmed.StartsWith("err(", StringComparison.OrdinalIgnoreCase) && trimmed.EndsWith(')'))
        {
            var digits = trimmed.AsSpan(4, trimmed.Length - 5);
            return ("error", int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? code : null);
        }
        return ("unknown", null);
    }

    // The job events spell it MsgID (capital D); accept MsgId too.
    private static string MsgId(CallbackXml x) =>
        x.Optional("MsgID") ?? x.Optional("MsgId") ?? throw new UnmappedCallbackException("missing MsgID");
}
