using StackExchange.Redis;

namespace WecomBridge.Enrichment.MemberVersions;

/// <summary>Keys `wb:memver:{corp}:{chat id}` = the member_version, kept for the TTL after the chat's last change.</summary>
internal sealed class RedisMemberVersionStore(IConnectionMultiplexer redis, TimeSpan ttl) : IMemberVersionStore
{
    private static RedisKey Key(string corp, string chatId) => $"wb:memver:{corp}:{chatId}";

    public async Task<string?> GetAsync(string corp, string chatId) =>
        await redis.GetDatabase().StringGetAsync(Key(corp, chatId));

    public Task SetAsync(string corp, string chatId, string memberVersion) =>
        redis.GetDatabase().StringSetAsync(Key(corp, chatId), memberVersion, ttl);
}
