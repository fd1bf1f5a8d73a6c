using WecomBridge.Fakes.Callbacks;

namespace WecomBridge.Bench;

/// <summary>The bench corp/app (bench/run.sh configures the gateway with the same values) and its callbacks.</summary>
internal static class Fixtures
{
    public const string Corp = "bench";
    public const string App = "crm";
    public const string CorpId = "wwbench0000000001";
    public const string Token = "benchToken0123456789";
    public const string EncodingAesKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    public const string CallbackPath = "/callbacks/wecom/" + Corp + "/" + App;

    public static readonly WeComCallbackApp WeComApp = new(Token, EncodingAesKey, CorpId);

    /// <summary>A typical add_external_contact event; <paramref name="externalUserId"/> makes it distinct.</summary>
    public static string ContactAddedXml(string externalUserId, long createTime) =>
        WeComEvents.ExternalContact(CorpId, "add_external_contact", "zhangsan", externalUserId,
            state: "spring-campaign", welcomeCode: "WELCOMECODE0123456789abcdef", createTime: createTime);

    /// <summary>N distinct signed+encrypted callbacks (distinct ExternalUserID, so dedupe keeps them all).</summary>
    public static CallbackRequest[] Callbacks(int count, string runTag)
    {
        var simulator = new CallbackSimulator();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var result = new CallbackRequest[count];
        for (var i = 0; i < count; i++)
            result[i] = simulator.BuildWeComPost(WeComApp, ContactAddedXml($"wm{runTag}{i:D8}", now));
        return result;
    }
}
