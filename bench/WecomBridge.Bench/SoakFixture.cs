using System.Text.Json;
using System.Text.Json.Serialization;
using WecomBridge.Fakes.Data;

namespace WecomBridge.Bench;

/// <summary>
/// A fixture for the WecomBridge.Fakes server that knows every customer, group chat and follower the mixed
/// callbacks name (MixedCallbacks.Pool), with the bench corp and Official Account's ids and secrets, so that
/// the gateway's enrichment consumers read real answers from the fake API during the series and the soak.
/// </summary>
internal static class SoakFixture
{
    public static void Write(string path)
    {
        var f = Fixture.Load();
        f.WeCom.CorpId = Fixtures.CorpId;
        f.WeCom.Secrets = ["bench"];
        for (var k = 0; k < MixedCallbacks.Pool; k++)
        {
            f.WeCom.ExternalContacts.Add(new ExternalContact
            {
                ExternalUserId = MixedCallbacks.Customer(k), Name = "Customer " + k, Type = 1, UnionId = "un" + k,
                FollowUsers = [new FollowUser { UserId = "zhangsan", Remark = "", CreateTime = 1700001000, AddWay = 1, State = "soak", TagIds = ["etTagVip"] }],
            });
            f.OfficialAccount.Followers.Add(new Follower { OpenId = MixedCallbacks.Follower(k), UnionId = "un" + k, SubscribeTime = 1700000000 });
        }
        for (var k = 0; k < MixedCallbacks.Pool; k++)
            f.WeCom.GroupChats.Add(new GroupChat
            {
                ChatId = MixedCallbacks.Chat(k), Name = "Chat " + k, Owner = "zhangsan", CreateTime = 1700005000, MemberVersion = "v1",
                Members =
                [
                    new GroupMember { UserId = "zhangsan", Type = 1, JoinTime = 1700005000, JoinScene = 1, Name = "Zhang San" },
                    new GroupMember { UserId = MixedCallbacks.Customer(k), Type = 2, JoinTime = 1700005100, JoinScene = 3, Name = "Customer " + k },
                ],
            });
        f.OfficialAccount.AppId = MixedCallbacks.AccountAppId;
        f.OfficialAccount.Secret = "bench";
        File.WriteAllText(path, JsonSerializer.Serialize(f, new JsonSerializerOptions { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull }));
        Console.WriteLine($"fixture {path}: {MixedCallbacks.Pool} customers, followers and group chats");
    }
}
