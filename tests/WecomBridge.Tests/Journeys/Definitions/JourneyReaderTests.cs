using WecomBridge.Journeys;
using WecomBridge.Journeys.Definitions;
using WecomBridge.Pool.Segments;
using static WecomBridge.Tests.Journeys.Definitions.JourneyJson;

namespace WecomBridge.Tests.Journeys.Definitions;

/// <summary>Good journeys read into the model as written; every example in examples/journeys/ reads without errors.</summary>
public sealed class JourneyReaderTests
{
    [Fact]
    public void Every_example_reads_without_errors()
    {
        var files = Examples().ToList();
        Assert.True(files.Count >= 2, $"examples in {ExamplesFolder}");
        foreach (var file in files)
        {
            var journey = Valid(File.ReadAllText(file));
            Assert.Equal(Path.GetFileNameWithoutExtension(file), journey.Id);
        }
    }

    [Fact]
    public void The_welcome_playbook_reads_into_its_steps_conditions_and_actions()
    {
        var journey = Valid(File.ReadAllText(Path.Combine(ExamplesFolder, "welcome-sop.json")));

        Assert.Equal(("acme", "welcome-sop", 0, true), (journey.Corp, journey.Id, journey.Version, journey.Active));
        Assert.Equal(new JourneyTrigger(JourneyTriggerKinds.ContactAdded, null, null, null, null, null), journey.Trigger);
        Assert.Equal(["welcome", "first-tag", "vip-group-invitation", "recommend-skincare", "recommend-makeup", "recommend-bestsellers",
            "repurchase-coupon"], journey.Steps.Select(s => s.Id));
        Assert.Equal([0, 0, 1, 7, 7, 7, 21], journey.Steps.Select(s => (int)s.Delay.TotalDays));
        Assert.Equal(new TimeOnly(10, 0), journey.Steps[2].At);
        Assert.Null(journey.Steps[0].At);
        var welcome = journey.Steps[0].Action;
        Assert.Equal(JourneyActionKinds.CustomerTask, welcome.Kind);
        Assert.Equal("link", welcome.Attachments!.Value[0].GetProperty("type").GetString());
        Assert.Equal(new JourneyAction(JourneyActionKinds.Tag, TagId: "etNEWCONTACT"), journey.Steps[1].Action);
        var coupon = journey.Steps[6].Conditions;
        Assert.Equal(2, coupon.Count);
        Assert.Equal(["etPURCHASED"], Assert.IsType<TagsFilter>(coupon[0].Filter).None);
        Assert.Equal(new BurstFlaggedFilter(false), coupon[1].Filter);
        Assert.IsType<NotOf>(journey.Steps[2].Conditions[0].Filter);
        Assert.Equal([new JourneyExit("contactDeleted", null), new JourneyExit("suppressed", null), new JourneyExit("exitCall", null)],
            journey.Exits);
    }

    [Fact]
    public void Every_kind_of_trigger_action_and_condition_reads()
    {
        var segment = Guid.NewGuid();
        foreach (var (trigger, expected) in new (string, JourneyTrigger)[]
        {
            ("""{"kind": "contactAdded", "state": "spring fair 2026"}""", new("contactAdded", "spring fair 2026", null, null, null, null)),
            ("""{"kind": "tagAdded", "tagId": "etVIP"}""", new("tagAdded", null, "etVIP", null, null, null)),
            ("""{"kind": "followerSubscribed", "account": "brand"}""", new("followerSubscribed", null, null, "brand", null, null)),
            ("""{"kind": "stageChanged", "stage": "dormant"}""", new("stageChanged", null, null, null, "dormant", null)),
            ($$"""{"kind": "segmentEntered", "segmentId": "{{segment}}"}""", new("segmentEntered", null, null, null, null, segment)),
            ("""{"kind": "enrolCall"}""", new("enrolCall", null, null, null, null, null)),
        })
            Assert.Equal(expected, Valid(Journey(trigger: trigger)).Trigger);

        var journey = Valid(Journey("""
            {"id": "remind", "delay": "PT2H30M", "at": "09:05", "conditions": [{"interactedSinceEnrolment": false}, {"stage": ["new", "active"]}],
             "action": {"kind": "employeeReminder", "app": "notify", "text": "Call them back.\nThey asked about prices."}},
            {"id": "template", "delay": "P1W", "action": {"kind": "template", "account": "brand", "templateId": "TPL_ORDER_01",
             "data": {"first": "Hello", "keyword1": "Order 1"}, "url": "https://shop.example.com/o"}},
            {"id": "wait", "delay": "P1W", "action": {"kind": "wait", "eventKind": "purchase", "timeout": "P3D"}},
            {"id": "untag", "delay": "P10D", "conditions": [], "action": {"kind": "untag", "tagId": "etNEW"}}
            """, extra: """, "exits": [{"kind": "tagAdded", "tagId": "etSTOP"}], "active": false, "description": "d\ne" """));

        Assert.False(journey.Active);
        Assert.Equal(new TimeSpan(2, 30, 0), journey.Steps[0].Delay);
        Assert.Equal(new TimeOnly(9, 5), journey.Steps[0].At);
        Assert.Equal(new JourneyCondition(null, false), journey.Steps[0].Conditions[0]);
        Assert.Equal(["new", "active"], Assert.IsType<StageFilter>(journey.Steps[0].Conditions[1].Filter).Stages);
        Assert.Equal(("notify", "Call them back.\nThey asked about prices."), (journey.Steps[0].Action.App, journey.Steps[0].Action.Text));
        var template = journey.Steps[1].Action;
        Assert.Equal(("brand", "TPL_ORDER_01", "https://shop.example.com/o"), (template.Account, template.TemplateId, template.Url));
        Assert.Equal("Order 1", template.Data!["keyword1"]);
        Assert.Equal(TimeSpan.FromDays(7), journey.Steps[2].Delay);
        Assert.Equal(("purchase", TimeSpan.FromDays(3)), (journey.Steps[2].Action.EventKind, journey.Steps[2].Action.Timeout));
        Assert.Empty(journey.Steps[3].Conditions);
        Assert.Equal([new JourneyExit("tagAdded", "etSTOP")], journey.Exits);
    }

    [Fact]
    public void The_source_has_the_id_and_active_and_reads_back_to_itself()
    {
        var journey = Read(Journey(id: "ignored").Replace("\"id\": \"ignored\", ", ""), out var errors, routeId: "from-url");

        Assert.Empty(errors);
        Assert.Equal("from-url", journey!.Id);
        Assert.Equal("from-url", journey.Source.GetProperty("id").GetString());
        Assert.True(journey.Source.GetProperty("active").GetBoolean());
        var again = Valid(journey.Source.GetRawText());
        Assert.Equal(journey.Source.GetRawText(), again.Source.GetRawText());
        var inactive = JourneyReader.WithActive(journey, active: false);
        Assert.False(inactive.Active);
        Assert.False(Valid(inactive.Source.GetRawText()).Active);
    }

    [Fact]
    public void The_largest_journey_within_the_limits_reads()
    {
        var text = new string('字', 1333); // 3,999 bytes of UTF-8
        var attachments = string.Join(",", Enumerable.Repeat("""{"type": "image", "mediaId": "m"}""", 9));
        var conditions = string.Join(",", Enumerable.Repeat("""{"burstFlagged": false}""", 10));
        var steps = string.Join(",", Enumerable.Range(0, 50).Select(i => $$$"""
            {"id": "s{{{i}}}", "delay": "P365D", "at": "23:59", "conditions": [{{{conditions}}}],
             "action": {"kind": "customerTask", "text": "{{{text}}}", "attachments": [{{{attachments}}}]}}
            """));
        var exits = string.Join(",", Enumerable.Range(0, 10).Select(i => $$"""{"kind": "tagAdded", "tagId": "t{{i}}"}"""));

        var journey = Valid(Journey(steps, extra: $", \"exits\": [{exits}]"));

        Assert.Equal(50, journey.Steps.Count);
        Assert.Equal(TimeSpan.FromDays(365), journey.Steps[49].Delay);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(Journey(steps)) < JourneyLimits.BodyBytes);
    }
}
