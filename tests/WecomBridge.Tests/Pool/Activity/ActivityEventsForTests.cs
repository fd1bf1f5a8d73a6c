using WecomBridge.Contracts.Followers;
using static WecomBridge.Tests.Pool.PoolEvents;

namespace WecomBridge.Tests.Pool.Activity;

/// <summary>The Official Account events that count as a follower's interaction, with fresh ids and chosen times.</summary>
public static class FollowerActivityEvents
{
    private static string Id() => Guid.NewGuid().ToString("N");

    public static FollowerMessageReceived Message(string openId, int at) =>
        new(Id(), Account, "wxapp", "gh_1", At(at), At(at), openId, "text", "7000000000000000001", "hello", null, null, null, null, null,
            null, null, null, null, null, null, null);

    public static MenuClicked Clicked(string openId, int at) => new(Id(), Account, "wxapp", "gh_1", At(at), At(at), openId, "V1001_GOOD");

    public static MenuLinkViewed Viewed(string openId, int at) =>
        new(Id(), Account, "wxapp", "gh_1", At(at), At(at), openId, "https://example.com/shop", null);

    public static FollowerScanned Scanned(string openId, int at) => new(Id(), Account, "wxapp", "gh_1", At(at), At(at), openId, "spring", null);
}
