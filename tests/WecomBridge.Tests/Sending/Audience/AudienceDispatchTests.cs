using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WecomBridge.Contracts.Sending;
using WecomBridge.Sending.Audience;
using WecomBridge.Sending.Status;
using WecomBridge.Sending.Suppression;
using WecomBridge.Tests.Pool;
using WecomBridge.Tests.Sending.Dispatcher;

namespace WecomBridge.Tests.Sending.Audience;

/// <summary>
/// Audiences expanded by a dispatcher on the real PostgreSQL, Redis and RabbitMQ against the WeCom fake: pages of the
/// segment, one member per contact, the suppression list and the customer caps applied per contact, nothing sent twice.
/// </summary>
public sealed class AudienceDispatchTests : IAsyncLifetime
{
    private PoolDatabase _database = null!;

    public async Task InitializeAsync() => _database = await PoolDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private DispatcherApp Start(out string corp, int pageSize = 3, bool dailyCap = false)
    {
        var settings = DispatcherApp.OwnKeys(out corp, out _);
        foreach (var (key, value) in AudienceSeed.Settings(corp, _database.ConnectionString, pageSize)) settings[key] = value;
        settings[$"Dispatch:Corps:{corp}:SenderTasksPerDay"] = "1000";
        if (dailyCap) settings[$"Dispatch:Corps:{corp}:CustomerCap:Period"] = "Day";
        var app = new DispatcherApp(settings);
        _ = app.App.Services; // started: the pool's schema is migrated before it listens
        return app;
    }

    /// <summary>Eight contacts over three pages of three; two members; suppressed pairs and customers; one followed by nobody.</summary>
    private static readonly Seeded[] Contacts =
    [
        new("wm01", ("zhangsan", 10)),
        new("wm02", ("lisi", 5), ("zhangsan", 8)),   // zhangsan added it first
        new("wm03", ("zhangsan", 9), ("lisi", 2)),   // zhangsan's pair is suppressed: lisi sends
        new("wm04", ("zhangsan", 9)),                // suppressed for every member
        new("wm05", ("lisi", 3)),
        new("wm06", ("zhangsan", 4)),                // its only pair is suppressed
        new("wm07"),                                 // followed by no member (deleted everywhere)
        new("wm08", ("zhangsan", 1)),
    ];

    private static async Task SuppressAsync(DispatcherApp app, string corp)
    {
        var list = app.Services.GetRequiredService<ISuppressionList>();
        var scope = SuppressionScopes.WeCom(corp);
        await list.AddAsync(scope, SuppressionScopes.Pair("zhangsan", "wm03"), "test", DateTimeOffset.UtcNow);
        await list.AddAsync(scope, SuppressionScopes.AnyMember("wm04"), "test", DateTimeOffset.UtcNow);
        await list.AddAsync(scope, SuppressionScopes.Pair("zhangsan", "wm06"), "test", DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task A_segment_over_several_pages_messages_each_contact_once_from_one_member_and_skips_the_suppressed()
    {
        await using var app = Start(out var corp);
        await AudienceSeed.PostgresAsync(_database, corp, app.WeCom, Contacts);
        await SuppressAsync(app, corp);
        using var client = AudienceSeed.Client(app.App);

        var location = await AudienceSeed.PostAsync(client, corp, """{"filter":{"stage":"active"}}""");
        var status = await AudienceSeed.SettledAsync(client, location);

        Assert.Equal(SendStates.Sent, status.GetProperty("status").GetString());
        var audience = status.GetProperty("audience");
        Assert.Equal(8, audience.GetProperty("matched").GetInt64());
        Assert.Equal(2, audience.GetProperty("suppressed").GetInt64());
        Assert.Equal(1, audience.GetProperty("unreachable").GetInt64());
        Assert.True(audience.GetProperty("sent").GetInt64() == 5, audience.ToString());
        Assert.Equal(3, audience.GetProperty("pages").GetInt32());
        Assert.Equal(4, audience.GetProperty("tasks").GetInt32()); // page 1: zhangsan and lisi; page 2: lisi; page 3: zhangsan
        Assert.Equal(
            [("wm01", "zhangsan"), ("wm02", "zhangsan"), ("wm03", "lisi"), ("wm05", "lisi"), ("wm08", "zhangsan")],
            AudienceSeed.Sent(app.WeCom).Order());
    }

    [Fact]
    public async Task An_expansion_run_again_after_its_end_and_after_relations_changed_sends_nobody_twice()
    {
        await using var app = Start(out var corp, pageSize: 2);
        await AudienceSeed.PostgresAsync(_database, corp, app.WeCom, Contacts);
        await SuppressAsync(app, corp);
        using var client = AudienceSeed.Client(app.App);
        var location = await AudienceSeed.PostAsync(client, corp, """{"filter":{"stage":"active"}}""");
        var first = await AudienceSeed.SettledAsync(client, location);
        var sent = AudienceSeed.Sent(app.WeCom);
        Assert.Equal(5, sent.Count);

        // A redelivery of the finished command: it is finished, nothing is expanded again.
        var messageId = first.GetProperty("messageId").GetString()!;
        var command = new SendRequested(messageId, SendKinds.CustomerTask, corp, null, null, DateTimeOffset.UtcNow,
            CustomerTask: new CustomerTask(null, null, null, null, "Spring sale", null,
                new CustomerAudience(null, JsonDocument.Parse("""{"stage":"active"}""").RootElement)));
        await app.PublishAsync(command);
        // A restart from the first page (as after a crash before anything was recorded as done), with wm05 now added
        // earlier by another member: its task would differ, but the ledger keeps each contact in the task it went to.
        await using (var connection = new NpgsqlConnection(_database.ConnectionString))
        {
            await connection.OpenAsync();
            await AudienceSeed.Relation(connection, corp, "wm05", "wangwu", 30);
        }
        var store = app.Services.GetRequiredService<ISendStatusStore>();
        var stored = (await store.GetAsync(messageId))!;
        Assert.True(await store.SaveAsync(stored with { State = SendStates.Accepted, UpdatedAt = DateTimeOffset.UtcNow }));
        await app.Services.GetRequiredService<IAudienceLedger>().SetAsync(messageId, [new("cursor", "0\n")]);
        await app.PublishAsync(command);
        await app.StateAsync(messageId, SendStates.Sent);

        // The tasks queued again find themselves finished; a send queued after them goes through the same queue.
        var after = Sends.CustomerTask("zhangsan", "wmAlice") with { Corp = corp };
        AudienceSeed.Fake(app.WeCom, new Seeded("wmAlice", ("zhangsan", 1)));
        await app.PublishAsync(after);
        await app.FinishedAsync(after.MessageId);
        var again = await AudienceSeed.SettledAsync(client, location);
        Assert.Equal(sent.Order(), AudienceSeed.Sent(app.WeCom).Where(s => s.Contact != "wmAlice").Order());
        Assert.Equal(5, again.GetProperty("audience").GetProperty("sent").GetInt64());
    }

    [Fact]
    public async Task A_saved_segment_with_a_sender_reaches_only_that_members_customers_and_the_customer_cap_holds_per_contact()
    {
        await using var app = Start(out var corp, dailyCap: true);
        await AudienceSeed.PostgresAsync(_database, corp, app.WeCom, Contacts);
        using var client = AudienceSeed.Client(app.App);
        // wm02 had its one message of the day already.
        var earlier = Sends.CustomerTask("zhangsan", "wm02") with { Corp = corp };
        await app.PublishAsync(earlier);
        Assert.Equal(SendStates.Sent, (await app.FinishedAsync(earlier.MessageId)).State);
        var created = await client.PostAsync($"/api/v1/pool/{corp}/segments",
            WecomBridge.Tests.Pool.Segments.SegmentApiTests.Json("""{"name": "VIPs", "filter": {"tags": {"any": ["vip"]}}}"""));
        var segment = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        var location = await AudienceSeed.PostAsync(client, corp, $$"""{"segment":"{{segment}}"}""", sender: "zhangsan");
        var audience = (await AudienceSeed.SettledAsync(client, location)).GetProperty("audience");

        // zhangsan follows wm01, wm02, wm03, wm04, wm06, wm08; wm05 (lisi's) is unreachable; wm07 has no tags.
        Assert.Equal(7, audience.GetProperty("matched").GetInt64());
        Assert.Equal(1, audience.GetProperty("unreachable").GetInt64());
        Assert.Equal(1, audience.GetProperty("capped").GetInt64());
        Assert.Equal(5, audience.GetProperty("sent").GetInt64());
        var sent = AudienceSeed.Sent(app.WeCom);
        Assert.All(sent, s => Assert.Equal("zhangsan", s.Sender));
        Assert.Single(sent, s => s.Contact == "wm02"); // the earlier task only
    }

    [Fact]
    public async Task An_audience_nobody_matches_is_dropped_as_empty_without_a_call()
    {
        await using var app = Start(out var corp);
        await AudienceSeed.PostgresAsync(_database, corp, app.WeCom, Contacts);
        using var client = AudienceSeed.Client(app.App);

        var location = await AudienceSeed.PostAsync(client, corp, """{"filter":{"stage":"lost"}}""");
        var status = await AudienceSeed.SettledAsync(client, location);

        Assert.Equal(SendStates.Dropped, status.GetProperty("status").GetString());
        Assert.Equal(AudienceExpansion.Empty, status.GetProperty("reason").GetString());
        Assert.Equal(0, status.GetProperty("audience").GetProperty("matched").GetInt64());
        Assert.Empty(app.WeCom.Data.MsgTemplates);
    }
}
