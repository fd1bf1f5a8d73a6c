using WecomBridge.WeCom;

namespace WecomBridge.Enrichment;

/// <summary>Which failed reads are redelivered: transient ones, except 84061 (the client already retried it slowly).</summary>
internal static class EnrichmentRetry
{
    public static bool IsTransient(ApiException e) =>
        e.Class == ApiErrorClass.Transient && e.ErrCode != WeComErrors.NotExternalContact;
}
