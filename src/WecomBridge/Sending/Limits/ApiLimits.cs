using Microsoft.Extensions.Options;
using WecomBridge.RateLimits;

namespace WecomBridge.Sending.Limits;

/// <summary>
/// The API buckets: one per corp (or Official Account) and API path, paced at that API's limit for that corp
/// (Dispatch:Corps:{corp}, Dispatch:Accounts:{account}, else Dispatch:Defaults), shared by every caller of the API
/// (sends, welcomes, re-sync). The bucket's key is also the one a 45009 pauses.
/// </summary>
internal sealed class ApiLimits(IOptionsMonitor<ApiLimitOptions> options)
{
    /// <summary>The options name of a corp's limits.</summary>
    public static string CorpName(string corp) => "corp:" + corp;

    /// <summary>The options name of an Official Account's limits.</summary>
    public static string AccountName(string account) => "account:" + account;

    /// <summary>Where the options of <paramref name="name"/> are configured (for error messages).</summary>
    public static string SectionOf(string? name) => name switch
    {
        null or "" => "Dispatch:Defaults",
        _ when name.StartsWith("corp:", StringComparison.Ordinal) => "Dispatch:Corps:" + name[5..],
        _ when name.StartsWith("account:", StringComparison.Ordinal) => "Dispatch:Accounts:" + name[8..],
        _ => "Dispatch:" + name,
    };

    public static string CorpKey(string corp, string path) => $"wecom:{corp}:{path}";

    public static string AccountKey(string account, string path) => $"oa:{account}:{path}";

    public RateBucket ForCorp(string corp, string path) => Bucket(CorpKey(corp, path), options.Get(CorpName(corp)), path);

    public RateBucket ForAccount(string account, string path) => Bucket(AccountKey(account, path), options.Get(AccountName(account)), path);

    /// <summary>A call of <paramref name="path"/> in <paramref name="bucket"/>: its retries and concurrency (see <see cref="PacedCall"/>).</summary>
    public PacedCall Call(RateBucket bucket, string path, string? corp, string? account) =>
        new(path, bucket, options.Get(corp is not null ? CorpName(corp) : AccountName(account!)).ConcurrencyOf(ApiNames.Of(path)));

    private static RateBucket Bucket(string key, ApiLimitOptions o, string path) =>
        RateBucket.Paced(key, o.LimitOf(ApiNames.Of(path)), o.SafetyMargin, o.JitterOf(ApiNames.Of(path)));
}
