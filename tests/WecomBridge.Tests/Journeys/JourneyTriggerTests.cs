using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WecomBridge.Contracts.Journeys;
using WecomBridge.Contracts.Pool;
using WecomBridge.Journeys;
using WecomBridge.Journeys.Runtime;
using WecomBridge.Journeys.Triggers;
using WecomBridge.Tests.Api;
using WecomBridge.Tests.Pool;

namespace WecomBridge.Tests.Journeys;

/// <summary>
/// Enrolment, exits and wakes from the pool's events on the embedded mode's in-memory bus (the pool's consumers and the
/// journeys' stage consumer as hosted): each trigger kind, redeliveries, inactive journeys, and the segment pass.
/// </summary>
public sealed class JourneyTriggerTests : IAsyncLifetime
{
    private readonly ApiApp _app = new(settings: new Dictionary<string, string?>
    {
        ["Journeys:RunnerEnabled"] = "false",
        ["Dispatch:Defaults:QuietHours:Enabled"] = "false", // a step taken on the system clock, at any hour
    });
    private readonly string _ext = "wm" + Guid.NewGuid().ToString("N")[..10];

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    private IJourneyStore Store => _app.Factory.Services.GetRequiredService<IJourneyStore>();

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task CreateAsync(string id, string trigger, string exits = "[]", bool active = true, string? steps = null)
    {
        var response = await _app.Client().PostAsync("/api/v1/journeys/acme", Json($$"""
            { "id": "{{id}}", "name": "{{id}}", "active": {{(active ? "true" : "false")}}, "trigger": {{trigger}},
              "steps": {{steps ?? """[ { "id": "later", "delay": "P1D", "action": { "kind": "customerTask", "text": "Hi" } } ]"""}},
              "exits": {{exits}} }
            """));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private async Task PublishAsync(object message) => await _app.Factory.Services.GetRequiredService<IBus>().Publish(message);

    private async Task<IReadOnlyList<EnrolmentHistory>> HistoryAsync() => await Store.HistoryAsync("acme", _ext, 50);

    private Task<IReadOnlyList<EnrolmentHistory>> Until(Func<IReadOnlyList<EnrolmentHistory>, bool> done, string what) =>
        Infrastructure.Eventually.Get(HistoryAsync, done, what: what);

    [Fact]
    public async Task An_add_through_the_channel_enrols_once_in_active_journeys_of_its_state_only()
    {
        await CreateAsync("spring", """{ "kind": "contactAdded", "state": "spring" }""");
        await CreateAsync("autumn", """{ "kind": "contactAdded", "state": "autumn" }""");
        await CreateAsync("any-channel", """{ "kind": "contactAdded" }""");
        await CreateAsync("paused", """{ "kind": "contactAdded" }""", active: false);
        var added = PoolEvents.Added(_ext, "zhangsan", 0, state: "spring");

        await PublishAsync(added);
        await PublishAsync(added); // redelivered: same event id
        var enrolled = await Until(h => h.Count == 2, "enrolled in spring and any-channel");

        Assert.Equal(["any-channel", "spring"], enrolled.Select(h => h.Enrolment.JourneyId).Order());
        Assert.All(enrolled, h => Assert.Equal(("zhangsan", added.EventId), (h.Enrolment.FollowUser, h.Enrolment.Source)));
        await Infrastructure.Eventually.True(() => _app.Events.Of<JourneyEnrolled>().Count == 2, what: "two JourneyEnrolled published");
        Assert.Equal(2, (await HistoryAsync()).Count);
    }

    [Fact]
    public async Task A_new_corp_tag_enrols_in_its_tagAdded_journeys_and_ends_enrolments_whose_exit_is_that_tag()
    {
        await CreateAsync("vip", """{ "kind": "tagAdded", "tagId": "etVIP" }""");
        await CreateAsync("until-bought", """{ "kind": "enrolCall" }""", """[ { "kind": "tagAdded", "tagId": "etBUY" } ]""");
        await PublishAsync(PoolEvents.Added(_ext, "zhangsan", 0));
        await PublishAsync(PoolEvents.Snapshot(_ext, 1, null, null, PoolEvents.Follow("zhangsan", 0, null, null, "etOLD")));
        await Infrastructure.Eventually.True(async () => (await _app.Factory.Services.GetRequiredService<WecomBridge.Pool.IPoolStore>()
            .GetContactAsync("acme", _ext))?.TagIds.Contains("etOLD") == true, what: "the first snapshot applied");
        var journey = (await _app.Factory.Services.GetRequiredService<IJourneyDefinitionStore>().GetAsync("acme", "until-bought"))!;
        await _app.Factory.Services.GetRequiredService<JourneyEnroller>().EnrolAsync(journey, _ext, "zhangsan", "test", CancellationToken.None);

        await PublishAsync(PoolEvents.Snapshot(_ext, 2, null, null, PoolEvents.Follow("zhangsan", 0, null, null, "etOLD", "etVIP", "etBUY")));
        var history = await Until(h => h.Count == 2 && h.Any(e => e.Enrolment.ExitReason == "tagAdded"), "vip enrolled, until-bought exited");

        Assert.Equal(EnrolmentStates.Running, history.Single(h => h.Enrolment.JourneyId == "vip").Enrolment.State);
        // A later read with the same tags adds nothing: no second enrolment.
        await PublishAsync(PoolEvents.Snapshot(_ext, 3, null, null, PoolEvents.Follow("zhangsan", 0, null, null, "etOLD", "etVIP", "etBUY")));
        await PublishAsync(PoolEvents.Added(_ext + "x", "zhangsan", 4)); // a marker: once its enrolment-free apply is seen, the read was too
        await Infrastructure.Eventually.True(async () => await _app.Factory.Services.GetRequiredService<WecomBridge.Pool.IPoolStore>()
            .GetContactAsync("acme", _ext + "x") is not null, what: "the marker applied");
        Assert.Equal(2, (await HistoryAsync()).Count);
    }

    [Fact]
    public async Task A_contact_no_member_has_any_more_leaves_journeys_that_declare_contactDeleted()
    {
        await CreateAsync("leaves", """{ "kind": "contactAdded" }""", """[ { "kind": "contactDeleted" } ]""");
        await CreateAsync("stays", """{ "kind": "contactAdded" }""");
        await PublishAsync(PoolEvents.Added(_ext, "zhangsan", 0));
        await PublishAsync(PoolEvents.Added(_ext, "lisi", 1));
        await Until(h => h.Count == 2, "enrolled in both");

        await PublishAsync(PoolEvents.DeletedByEmployee(_ext, "zhangsan", 2));
        await PublishAsync(PoolEvents.DeletedByCustomer(_ext, "lisi", 3));
        var history = await Until(h => h.Any(e => e.Enrolment.ExitReason == "contactDeleted"), "leaves exited");

        Assert.Equal(EnrolmentStates.Running, history.Single(h => h.Enrolment.JourneyId == "stays").Enrolment.State);
        await Infrastructure.Eventually.True(() => _app.Events.Of<JourneyExited>().Count == 1, what: "JourneyExited published");
        Assert.Equal("contactDeleted", _app.Events.Of<JourneyExited>()[0].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_stage_change_enrols_in_journeys_of_that_stage()
    {
        await CreateAsync("dormant", """{ "kind": "stageChanged", "stage": "dormant" }""");
        await CreateAsync("lost", """{ "kind": "stageChanged", "stage": "lost" }""");
        await PublishAsync(PoolEvents.Added(_ext, "zhangsan", 0));
        // The pool publishes a stage change after it applied the add: the member is known by then.
        await Infrastructure.Eventually.True(async () => await _app.Factory.Services.GetRequiredService<WecomBridge.Pool.IPoolStore>()
            .GetContactAsync("acme", _ext) is not null, what: "the add applied");
        var changed = new ContactStageChanged(Guid.NewGuid().ToString("N"), "acme", _ext, "dormant", "active", null, PoolEvents.At(5));

        await PublishAsync(changed);
        await PublishAsync(changed);
        var history = await Until(h => h.Count == 1, "enrolled in dormant");

        Assert.Equal(("dormant", changed.EventId, "zhangsan"), (history[0].Enrolment.JourneyId, history[0].Enrolment.Source,
            history[0].Enrolment.FollowUser));
    }

    [Fact]
    public async Task A_reported_interaction_wakes_a_wait_for_its_kind_and_the_next_step_is_taken()
    {
        await CreateAsync("waits", """{ "kind": "contactAdded" }""", steps: """
            [ { "id": "wait", "delay": "PT0S", "action": { "kind": "wait", "eventKind": "purchase", "timeout": "P7D" } },
              { "id": "thanks", "delay": "PT0S", "action": { "kind": "customerTask", "text": "Thanks!" } } ]
            """);
        await PublishAsync(PoolEvents.Added(_ext, "zhangsan", 0));
        await Until(h => h.Count == 1, "enrolled");
        var runner = _app.Factory.Services.GetRequiredService<JourneyRunner>();
        while (await runner.RunOnceAsync(CancellationToken.None) > 0) { }
        Assert.Equal("thanks", Assert.Single(await HistoryAsync()).Next!.StepId);
        Assert.Equal(0, await runner.RunOnceAsync(CancellationToken.None)); // waiting for the purchase

        var report = await _app.Client().PostAsync($"/api/v1/pool/acme/contacts/{_ext}/interactions",
            Json($$"""{"kind":"purchase","at":"{{DateTimeOffset.UtcNow:O}}"}"""));
        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        while (await runner.RunOnceAsync(CancellationToken.None) > 0) { }

        var done = Assert.Single(await HistoryAsync());
        Assert.Equal(EnrolmentStates.Completed, done.Enrolment.State);
        Assert.Equal(["taken", "taken"], done.Steps.Select(s => s.Outcome));
    }

    [Fact]
    public async Task The_segment_pass_enrols_the_contacts_of_the_segment_once()
    {
        await PublishAsync(PoolEvents.Added(_ext, "zhangsan", 0, state: "fair"));
        await PublishAsync(PoolEvents.Added(_ext + "b", "lisi", 0, state: "elsewhere"));
        await Infrastructure.Eventually.True(async () => await _app.Factory.Services.GetRequiredService<WecomBridge.Pool.IPoolStore>()
            .GetContactAsync("acme", _ext + "b") is not null, what: "both contacts in the pool");
        var created = await _app.Client().PostAsync("/api/v1/pool/acme/segments", Json("""{"name": "Fair", "filter": {"state": "fair"}}"""));
        var segment = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        await CreateAsync("fair", $$"""{ "kind": "segmentEntered", "segmentId": "{{segment}}" }""");
        var pass = _app.Factory.Services.GetRequiredService<JourneySegmentPass>();

        Assert.Equal(1, await pass.RunOnceAsync(CancellationToken.None));
        Assert.Equal(0, await pass.RunOnceAsync(CancellationToken.None));

        var enrolment = Assert.Single(await HistoryAsync()).Enrolment;
        Assert.Equal(("fair", $"segment:{Guid.Parse(segment!):N}", "zhangsan"), (enrolment.JourneyId, enrolment.Source, enrolment.FollowUser));
        Assert.Empty(await Store.HistoryAsync("acme", _ext + "b", 10));
    }

    [Fact]
    public void The_example_settings_of_Journeys_are_valid_and_bad_ones_are_named()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "WecomBridge.sln"))) root = Path.GetDirectoryName(root)!;
        var config = new Microsoft.Extensions.Configuration.ConfigurationBuilder().AddJsonFile(Path.Combine(root, "appsettings.example.json")).Build();
        var options = config.GetSection("Journeys").Get<JourneyRuntimeOptions>()!;
        Assert.Equal(TimeSpan.FromMinutes(15), options.SegmentPassInterval);
        Assert.True(new JourneyRuntimeOptionsValidator().Validate(null, options).Succeeded);
        var bad = new JourneyRuntimeOptions { BatchSize = 0, SegmentPassInterval = TimeSpan.Zero, StepConcurrency = 0 };
        var failures = new JourneyRuntimeOptionsValidator().Validate(null, bad).Failures!;
        Assert.Contains(failures, f => f.Contains("Journeys:BatchSize"));
        Assert.Contains(failures, f => f.Contains("Journeys:SegmentPassInterval"));
        Assert.Contains(failures, f => f.Contains("Journeys:StepConcurrency"));
    }
}
