using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WecomBridge.Journeys;
using WecomBridge.Journeys.Runtime;
using WecomBridge.Tests.Journeys.Definitions;
using static WecomBridge.Tests.Journeys.Definitions.JourneyDefinitionApiTests;

namespace WecomBridge.Tests.Journeys.Views;

/// <summary>
/// The progress and contact-history routes over the journey store in memory and in PostgreSQL, and their 503 when the
/// dispatcher runs no journeys.
/// </summary>
public sealed class JourneyViewApiTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 2, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    internal const string TwoSteps = """
        {"id": "s1", "delay": "PT0S", "action": {"kind": "tag", "tagId": "etA"}},
        {"id": "s2", "delay": "P1D", "action": {"kind": "customerTask", "text": "Hello"}}
        """;

    /// <summary>Saves the journey through the API and enrols <paramref name="ext"/> at <paramref name="at"/> on its first step.</summary>
    internal static async Task<(JourneyDefinition Journey, Enrolment Enrolment)> EnrolAsync(JourneyViewsApp app, string journeyId, string ext,
        DateTimeOffset at)
    {
        var definitions = app.Factory.Services.GetRequiredService<IJourneyDefinitionStore>();
        if (await definitions.GetAsync("acme", journeyId) is null)
            await Ok(await app.Client().PostAsync("/api/v1/journeys/acme", Json(JourneyJson.Journey(TwoSteps, id: journeyId))), HttpStatusCode.Created);
        var journey = (await definitions.GetAsync("acme", journeyId))!;
        var e = new Enrolment(Guid.CreateVersion7(), "acme", journeyId, journey.Version, ext, "zhangsan", "test:" + ext, at);
        Assert.Equal(EnrolOutcome.Enrolled, await app.Store.EnrolAsync(e, JourneyTriggerKinds.EnrolCall,
            JourneySchedule.Next(journey, 0, at, TimeZoneInfo.Utc)));
        return (journey, e);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Progress_counts_enrolments_and_each_step_in_the_journey_order(bool postgres)
    {
        await using var app = await JourneyViewsApp.StartAsync(postgres);
        var (journey, _) = await EnrolAsync(app, "welcome", "wmA", T0);
        await EnrolAsync(app, "welcome", "wmB", T0);
        var (_, c) = await EnrolAsync(app, "welcome", "wmC", T0);
        var claimed = (await app.Store.ClaimAsync("t", T0, Lease, 10)).ToDictionary(s => s.Enrolment.ExternalUserId);
        var next = JourneySchedule.Next(journey, 1, T0, TimeZoneInfo.Utc);
        Assert.True(await app.Store.CompleteAsync("t", claimed["wmA"], new(0, "s1", StepOutcomes.Taken, null, null, T0, "tag"), next));
        Assert.True(await app.Store.CompleteAsync("t", claimed["wmB"], new(0, "s1", StepOutcomes.Skipped, "condition 1 not met", null, T0, "tag"),
            next));
        Assert.True(await app.Store.ExitAsync(c.Id, "exitCall", T0));

        var progress = await Ok(await app.Client().GetAsync("/api/v1/journeys/acme/welcome/progress"));

        Assert.Equal("""
            {"journey":"welcome","corp":"acme","enrolled":3,"active":2,"completed":0,"exited":1,"steps":[{"id":"s1","due":0,"taken":1,"skipped":1,"failed":0},{"id":"s2","due":2,"taken":0,"skipped":0,"failed":0}]}
            """, progress.GetRawText());
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client().GetAsync("/api/v1/journeys/acme/nope/progress")).StatusCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_contacts_history_lists_its_enrolments_newest_first_with_outcomes_reasons_and_next_step(bool postgres)
    {
        await using var app = await JourneyViewsApp.StartAsync(postgres);
        var (journey, first) = await EnrolAsync(app, "welcome", "wmH", T0);
        var claimed = Assert.Single(await app.Store.ClaimAsync("t", T0, Lease, 10));
        await app.Store.CompleteAsync("t", claimed, new(0, "s1", StepOutcomes.Skipped, "condition 1 not met", null, T0, "tag"),
            JourneySchedule.Next(journey, 1, T0, TimeZoneInfo.Utc));
        var (_, second) = await EnrolAsync(app, "repurchase", "wmH", T0.AddHours(1));
        await app.Store.ExitAsync(second.Id, "exitCall", T0.AddHours(2));
        await EnrolAsync(app, "welcome", "wmOther", T0);

        var history = await Ok(await app.Client().GetAsync("/api/v1/journeys/acme/contacts/wmH"));

        Assert.Equal(("acme", "wmH"), (history.GetProperty("corp").GetString(), history.GetProperty("externalUserId").GetString()));
        var items = history.GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal(["repurchase", "welcome"], items.Select(i => i.GetProperty("journey").GetString()));
        Assert.Equal(("exited", "exitCall", 1), (items[0].GetProperty("state").GetString(), items[0].GetProperty("exitReason").GetString(),
            items[0].GetProperty("version").GetInt32()));
        Assert.Equal(JsonValueKind.Null, items[0].GetProperty("next").ValueKind);
        Assert.Equal((first.Id.ToString(), "running"), (items[1].GetProperty("enrolmentId").GetString(), items[1].GetProperty("state").GetString()));
        var step = Assert.Single(items[1].GetProperty("steps").EnumerateArray());
        Assert.Equal(("s1", "skipped", "condition 1 not met"), (step.GetProperty("id").GetString(), step.GetProperty("outcome").GetString(),
            step.GetProperty("reason").GetString()));
        Assert.Equal(("s2", T0.AddDays(1)), (items[1].GetProperty("next").GetProperty("id").GetString(),
            items[1].GetProperty("next").GetProperty("dueAt").GetDateTimeOffset()));

        var one = await Ok(await app.Client().GetAsync("/api/v1/journeys/acme/contacts/wmH?limit=1"));
        Assert.Equal("repurchase", Assert.Single(one.GetProperty("items").EnumerateArray()).GetProperty("journey").GetString());
        Assert.Empty((await Ok(await app.Client().GetAsync("/api/v1/journeys/acme/contacts/wmNever"))).GetProperty("items").EnumerateArray());
    }
}
