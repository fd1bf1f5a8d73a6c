using System.Net;
using System.Text.Json;
using WecomBridge.Contracts.Contacts;

namespace WecomBridge.Tests.Callbacks.Gateway;

/// <summary>
/// WeCom delivers a callback again when it gets no answer in time; every copy is signed and encrypted anew
/// (new nonce, new random bytes) but carries the same event, so dedupe is on the event, not the bytes.
/// </summary>
public class DedupeTests(GatewayHost host) : IClassFixture<GatewayHost>
{
    [Fact]
    public async Task The_same_callback_delivered_four_times_in_a_row_is_answered_four_times_and_published_once()
    {
        await using var queue = await EventQueue.OpenAsync(typeof(ExternalContactAdded));
        var customer = GatewayHost.NewId();
        var xml = GatewayHost.Added(customer);

        for (var i = 0; i < 4; i++)
        {
            var response = await host.PostWeComAsync(xml);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        }

        await AssertPublishedOnceAsync(queue, customer);
    }

    [Fact]
    public async Task Four_concurrent_copies_of_one_callback_give_one_event()
    {
        await using var queue = await EventQueue.OpenAsync(typeof(ExternalContactAdded));
        var customer = GatewayHost.NewId();
        var xml = GatewayHost.Added(customer);
        var copies = Enumerable.Range(0, 4).Select(_ => host.Simulator.BuildWeComPost(GatewayHost.WeCom, xml)).ToList();

        var responses = await Task.WhenAll(copies.Select(c => host.SendAsync(c, GatewayHost.WeComUrl)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await AssertPublishedOnceAsync(queue, customer);
    }

    [Fact]
    public async Task Different_callbacks_give_distinct_events()
    {
        await using var queue = await EventQueue.OpenAsync(typeof(ExternalContactAdded));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        string first = GatewayHost.NewId(), second = GatewayHost.NewId();
        // Same customer a second later is another event too (the key holds CreateTime).
        var xmls = new[] { GatewayHost.Added(first, now), GatewayHost.Added(second, now), GatewayHost.Added(first, now + 1) };

        foreach (var xml in xmls)
            Assert.Equal(HttpStatusCode.OK, (await host.PostWeComAsync(xml)).StatusCode);

        await queue.WaitForAsync(second);
        await Infrastructure.Eventually.True(async () =>
        {
            await queue.WaitForAsync(first);
            return queue.With(first).Count == 2;
        }, TimeSpan.FromSeconds(15), "both events of the first customer");
        var ids = queue.With(first).Concat(queue.With(second))
            .Select(m => JsonDocument.Parse(m.Body).RootElement.GetProperty("eventId").GetString()).ToList();
        Assert.Equal(3, ids.Distinct().Count());
    }

    private async Task AssertPublishedOnceAsync(EventQueue queue, string customer)
    {
        await queue.WaitForAsync(customer);
        var sentinel = GatewayHost.NewId();
        Assert.Equal(HttpStatusCode.OK, (await host.PostWeComAsync(GatewayHost.Added(sentinel))).StatusCode);
        await queue.WaitForAsync(sentinel);
        Assert.Single(queue.With(customer));
    }
}
