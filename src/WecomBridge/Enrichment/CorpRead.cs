using WecomBridge.WeCom;

namespace WecomBridge.Enrichment;

/// <summary>The one way enrichers read a corp: with its contact credential, logging ids and errcodes only.</summary>
internal static class CorpRead
{
    /// <summary>The read's result, or null when the corp has no secret configured (then it is not enriched).</summary>
    public static async Task<T?> TryAsync<T>(SourceEvent source, WeComCredentials credentials, ILogger logger,
        Func<WeComCredential, Task<T>> read) where T : class
    {
        if (!credentials.HasContactSecret(source.Corp))
        {
            EnrichmentLog.NoSecret(logger, source.Name, source.EventId, source.Corp);
            return null;
        }
        try
        {
            return await read(credentials.Contact(source.Corp));
        }
        catch (ApiException e)
        {
            EnrichmentLog.ReadFailed(logger, source.Name, source.EventId, source.Corp, e);
            throw;
        }
    }
}
