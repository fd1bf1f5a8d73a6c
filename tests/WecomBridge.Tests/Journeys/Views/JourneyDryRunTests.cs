using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WecomBridge.Sending.Suppression;
using WecomBridge.Tests.Journeys.Definitions;
using static WecomBridge.Tests.Journeys.Definitions.JourneyDefinitionApiTests;

namespace WecomBridge.Tests.Journeys.Views;

/// <summary>
/// POST …/dry-run: each step's due time in the corp's time zone, quiet hours, conditions of now with their reasons,
/// recipients; and nothing sent or written (store, pool, published events, calls to WeCom and the Official Account).
/// </summary>
public sealed class JourneyDryRunTests
{
    private const string Steps = """
        {"id": "hello", "delay": "PT0S", "action": {"kind": "customerTask", "text": "Hello"}},
        {"id": "vip", "delay": "P1D", "at": "10:00", "conditions": [{"tags": {"any": ["etVIP"]}}], "action": {"kind": "tag", "tagId": "etX"}},
        {"id": "not-vip", "delay": "P1D", "conditions": [{"tags": {"none": ["etVIP"]}}], "action": {"kind": "untag", "tagId": "etX"}},
        {"id": "oa", "delay": "P2D", "action": {"kind": "template", "account": "brand", "templateId": "T1", "data": {"k": "v"}}},
        {"id": "wait", "delay": "P2D", "action": {"kind": "wait", "eventKind": "message", "timeout": "P1D"}},
        {"id": "after", "delay": "P3D", "action": {"kind": "customerTask", "text": "Still there?"}}
        """;

    [Fact]
    public async Task A_dry_run_schedules_checks_and_names_recipients_and_sends_and_writes_nothing()
    {
        await using var app = await JourneyViewsApp.StartAsync();
        await Ok(await app.Client().PostAsync("/api/v1/journeys/acme", Json(JourneyJson.Journey(Steps, id: "sop",
            extra: """, "exits": [{"kind": "contactDeleted"}]"""))), HttpStatusCode.Created);
        await app.AddContactAsync("wmD", "etVIP");
        var poolBefore = JsonSerializer.Serialize(await app.Pool.GetContactAsync("acme", "wmD"));
        var (wecomCalls, oaCalls) = (app.Api.WeCom.Journal.Entries.Count, app.Api.OfficialAccount.Journal.Entries.Count);

        // 22:00 in Shanghai: in the default quiet hours (21:00–08:00).
        var run = await Ok(await app.Client().PostAsync("/api/v1/journeys/acme/sop/dry-run",
            Json("""{"externalUserId": "wmD", "at": "2026-12-06T22:00:00+08:00"}""")));

        Assert.Equal(("sop", "acme", 1, true, "Asia/Shanghai"), (run.GetProperty("journey").GetString(), run.GetProperty("corp").GetString(),
            run.GetProperty("version").GetInt32(), run.GetProperty("inPool").GetBoolean(), run.GetProperty("timeZone").GetString()));
        Assert.False(run.GetProperty("running").GetBoolean());
        Assert.False(run.GetProperty("suppressed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, run.GetProperty("exit").ValueKind);
        var steps = run.GetProperty("steps").EnumerateArray().ToDictionary(s => s.GetProperty("id").GetString()!);
        Assert.Equal(DateTimeOffset.Parse("2026-12-06T14:00:00Z"), steps["hello"].GetProperty("dueAt").GetDateTimeOffset());
        Assert.Equal(DateTimeOffset.Parse("2026-12-07T00:00:00Z"), steps["hello"].GetProperty("quietUntil").GetDateTimeOffset());
        Assert.Equal(("customerTask", true, "zhangsan", "wmD"), (steps["hello"].GetProperty("action").GetProperty("kind").GetString(),
            steps["hello"].GetProperty("action").GetProperty("sends").GetBoolean(), steps["hello"].GetProperty("action").GetProperty("member").GetString(),
            steps["hello"].GetProperty("action").GetProperty("externalUserId").GetString()));
        // P1D after 22:00 on the 6th is 22:00 on the 7th; the next 10:00 is on the 8th (02:00 UTC).
        Assert.Equal(DateTimeOffset.Parse("2026-12-08T02:00:00Z"), steps["vip"].GetProperty("dueAt").GetDateTimeOffset());
        Assert.True(steps["vip"].GetProperty("wouldRun").GetBoolean());
        Assert.Equal("etX", steps["vip"].GetProperty("action").GetProperty("tagId").GetString());
        Assert.Equal((false, "condition 1 not met"), (steps["not-vip"].GetProperty("wouldRun").GetBoolean(),
            steps["not-vip"].GetProperty("reason").GetString()));
        Assert.Equal(("no subscribed follower of the account", "brand", "T1"), (steps["oa"].GetProperty("reason").GetString(),
            steps["oa"].GetProperty("action").GetProperty("account").GetString(), steps["oa"].GetProperty("action").GetProperty("templateId").GetString()));
        Assert.True(steps["after"].GetProperty("afterWait").GetBoolean());
        Assert.False(steps["vip"].GetProperty("afterWait").GetBoolean());
        Assert.DoesNotContain("Hello", run.GetRawText());

        // A contact the pool does not have: the journey's contactDeleted exit would end it before any step.
        var nobody = await Ok(await app.Client().PostAsync("/api/v1/journeys/acme/sop/dry-run", Json("""{"externalUserId": "wmNobody"}""")));
        Assert.Equal(("contactDeleted", false), (nobody.GetProperty("exit").GetString(), nobody.GetProperty("inPool").GetBoolean()));
        Assert.All(nobody.GetProperty("steps").EnumerateArray(), s => Assert.False(s.GetProperty("wouldRun").GetBoolean()));

        // Nothing was sent or written.
        Assert.Empty(await app.Store.HistoryAsync("acme", "wmD", 10));
        Assert.Equal(0, (await app.Store.CountAsync("acme", "sop")).Enrolled);
        Assert.Equal(poolBefore, JsonSerializer.Serialize(await app.Pool.GetContactAsync("acme", "wmD")));
        Assert.DoesNotContain(app.Api.Events.Types, t => t.Namespace is "WecomBridge.Contracts.Journeys" or "WecomBridge.Contracts.Sending");
        Assert.Equal((wecomCalls, oaCalls), (app.Api.WeCom.Journal.Entries.Count, app.Api.OfficialAccount.Journal.Entries.Count));
        Assert.Equal(1, (await Ok(await app.Client().GetAsync("/api/v1/journeys/acme/sop"))).GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task A_running_enrolment_and_a_suppressed_contact_are_reported()
    {
        await using var app = await JourneyViewsApp.StartAsync();
        await JourneyViewApiTests.EnrolAsync(app, "welcome", "wmR", DateTimeOffset.UtcNow);
        await app.AddContactAsync("wmR");
        await app.Factory.Services.GetRequiredService<ISuppressionList>().AddAsync(SuppressionScopes.WeCom("acme"),
            SuppressionScopes.Pair("zhangsan", "wmR"), "opt-out", DateTimeOffset.UtcNow);

        var run = await Ok(await app.Client().PostAsync("/api/v1/journeys/acme/welcome/dry-run", Json("""{"externalUserId": "wmR"}""")));

        Assert.True(run.GetProperty("running").GetBoolean());
        Assert.True(run.GetProperty("suppressed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, run.GetProperty("exit").ValueKind); // the journey has no suppressed exit
        Assert.Equal(2, run.GetProperty("steps").GetArrayLength());
        Assert.Equal(1, (await app.Store.CountAsync("acme", "welcome")).Enrolled);
    }
}
