using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using WecomBridge.DeadLetters;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.DeadLetters;

/// <summary>Both stores keep the same promises: bounded in count and bytes, idempotent adds, pages by sequence, leases, deletes once.</summary>
public class DeadLetterStoreTests
{
    public static TheoryData<string> Stores => new() { "redis", "memory" };

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task The_store_is_bounded_idempotent_paged_and_deletes_once(string kind)
    {
        var options = Options.Create(new DeadLetterOptions { MaxMessages = 3, MaxBytes = 100, KeyPrefix = $"test:dls:{Guid.NewGuid():N}:" });
        await using var redis = kind == "redis" ? await ConnectionMultiplexer.ConnectAsync(TestServers.Redis) : null;
        IDeadLetterStore store = redis is null
            ? new InMemoryDeadLetterStore(options, new FakeTimeProvider())
            : new RedisDeadLetterStore(redis, options);

        var a = Letter("q.a", "one");
        Assert.Equal(StoreResult.Added, await store.AddAsync(a));
        Assert.Equal(StoreResult.Duplicate, await store.AddAsync(a));
        Assert.Equal(StoreResult.Added, await store.AddAsync(Letter("q.a", "two")));
        Assert.Equal(StoreResult.Full, await store.AddAsync(Letter("q.b", new string('x', 95)))); // over the bytes
        Assert.Equal(StoreResult.Added, await store.AddAsync(Letter("q.b", "three")));
        Assert.Equal(StoreResult.Full, await store.AddAsync(Letter("q.b", "four")));             // over the count
        Assert.Equal((3L, 11L), await store.SizeAsync());
        Assert.Equal([("q.a", 2L), ("q.b", 1L)], await store.QueuesAsync());

        var first = await store.ListAsync("q.a", 0, 1);
        var second = await store.ListAsync("q.a", first[0].Seq, 1);
        Assert.Equal(["one", "two"], first.Concat(second).Select(p => Encoding.UTF8.GetString(p.Letter.Body)));
        Assert.Empty(await store.ListAsync("q.a", second[0].Seq, 10));
        var got = await store.GetAsync(a.Id);
        Assert.Equal("kept", got!.Headers["X-Kept"].GetString());

        Assert.True(await store.TryLeaseAsync(a.Id, "me", TimeSpan.FromSeconds(30)));
        Assert.False(await store.TryLeaseAsync(a.Id, "other", TimeSpan.FromSeconds(30)));
        await store.ReleaseAsync(a.Id, "me");
        Assert.True(await store.TryLeaseAsync(a.Id, "other", TimeSpan.FromSeconds(30)));
        Assert.True(await store.DeleteAsync(a.Id));
        Assert.False(await store.DeleteAsync(a.Id));
        Assert.Null(await store.GetAsync(a.Id));
        Assert.Equal((2L, 8L), await store.SizeAsync());
        Assert.Equal(StoreResult.Added, await store.AddAsync(Letter("q.b", "four")));
    }

    private static DeadLetter Letter(string queue, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var headers = new Dictionary<string, JsonElement> { ["X-Kept"] = JsonSerializer.SerializeToElement("kept") };
        return new DeadLetter(DeadLetter.StableId(queue + "_error", null, null, bytes), queue, "T", null, null, "application/json",
            "E", "m", null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, headers, bytes);
    }
}
