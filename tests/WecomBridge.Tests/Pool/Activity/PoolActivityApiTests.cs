using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using WecomBridge.Contracts.Pool;
using WecomBridge.Pool.Activity;
using WecomBridge.Tests.Api;
using WecomBridge.Tests.Infrastructure;
using static WecomBridge.Tests.Pool.PoolEvents;

namespace WecomBridge.Tests.Pool.Activity;

/// <summary>
/// The dispatcher with the pool in PostgreSQL: a CRM reports interactions, the contact view shows activity, stage and
/// burst flag, and stage changes reach the broker after commit.
/// </summary>
public sealed class PoolActivityApiTests : IAsyncLifetime
{
    private PoolDatabase _database = null!;
    private ApiApp _app = null!;

    public async Task InitializeAsync()
    {
        _database = await PoolDatabase.CreateAsync();
        _app = new ApiApp(settings: new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = _database.ConnectionString,
            ["Pool:BurstGuard:AddsPerMinute"] = "2",
        });
        _app.Client();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _database.DisposeAsync();
    }

    private Task Publish(params object[] events) =>
        Task.WhenAll(events.Select(e => _app.Factory.Services.GetRequiredService<IBus>().Publish(e, e.GetType())));

    private async Task<PoolInteractionResult?> Report(string path, object body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await _app.Client().PostAsJsonAsync(path, body);
        Assert.Equal(expected, response.StatusCode);
        return expected == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<PoolInteractionResult>() : null;
    }

    [Fact]
    public async Task A_crm_reports_interactions_once_per_id_and_the_contact_view_shows_activity_stage_and_burst_flag()
    {
        await Publish(Added("wmA", "zhangsan", 0, "qr"), Added("wmB", "zhangsan", 0, "qr"), Added("wmC", "zhangsan", 0, "qr"),
            Subscribed("o1", 0));
        await Eventually.True(async () => await _database.ScalarAsync<long>("SELECT count(*) FROM pool.contacts") == 3
            && await _database.ScalarAsync<long>("SELECT count(*) FROM pool.followers") == 1, what: "three contacts and a follower");

        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        var first = await Report("/api/v1/pool/acme/contacts/wmA/interactions", new { kind = "purchase", at = at.ToString("O"), id = "order-1" });
        Assert.Equal((true, "purchase", "active"), (first!.Applied, first.LastInteractionKind, first.Stage)); // added long ago: not new
        var again = await Report("/api/v1/pool/acme/contacts/wmA/interactions", new { kind = "refund", at = at.ToString("O"), id = "order-1" });
        Assert.Equal((false, "purchase"), (again!.Applied, again.LastInteractionKind));
        await Report("/api/v1/pool/acme/contacts/wmNobody/interactions", new { kind = "purchase", at = at.ToString("O") }, HttpStatusCode.NotFound);
        var follower = await Report("/api/v1/pool/oa/brand/followers/o1/interactions", new { kind = "coupon_used", at = at.ToString("O") });
        Assert.Equal(("coupon_used", (string?)null), (follower!.LastInteractionKind, follower.Stage));
        await Report("/api/v1/pool/oa/brand/followers/oNobody/interactions", new { kind = "click", at = at.ToString("O") }, HttpStatusCode.NotFound);

        var contact = await _app.Client().GetFromJsonAsync<JsonElement>("/api/v1/pool/acme/contacts/wmA");
        Assert.Equal("purchase", contact.GetProperty("lastInteractionKind").GetString());
        Assert.Equal("active", contact.GetProperty("stage").GetString());
        Assert.Equal(At(0), contact.GetProperty("burstFlaggedAt").GetDateTimeOffset()); // three adds through qr in a minute, limit 2
        var view = await _app.Client().GetFromJsonAsync<JsonElement>("/api/v1/pool/oa/brand/followers/o1");
        Assert.Equal("coupon_used", view.GetProperty("lastInteractionKind").GetString());
        Assert.Equal(0L, await _database.ScalarAsync<long>("SELECT count(*) FROM pool.contacts WHERE external_user_id = 'wmNobody'"));

        // Each stage change and the burst reached the broker after commit, and left the outbox.
        await Eventually.True(() => Task.FromResult(_app.Events.Of<ContactStageChanged>().Count >= 3
            && _app.Events.Of<ChannelBurstDetected>().Count == 1), what: "stage changes and the burst published");
        await Eventually.True(async () => await _database.ScalarAsync<long>("SELECT count(*) FROM pool.outbox") == 0, what: "the outbox emptied");
        Assert.Contains(_app.Events.Of<ContactStageChanged>(), e => e.GetProperty("externalUserId").GetString() == "wmA"
            && e.GetProperty("stage").GetString() == "active");
    }

    [Fact]
    public async Task The_interaction_endpoints_are_in_the_OpenAPI_document()
    {
        var document = await _app.Client(null).GetStringAsync("/openapi/v1.json");

        Assert.Contains("/api/v1/pool/{corp}/contacts/{externalUserId}/interactions", document);
        Assert.Contains("/api/v1/pool/oa/{account}/followers/{openId}/interactions", document);
    }
}
