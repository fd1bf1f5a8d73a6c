using static WecomBridge.Tests.Journeys.Definitions.JourneyJson;

namespace WecomBridge.Tests.Journeys.Definitions;

/// <summary>
/// Bad journeys: each is refused with an error keyed by the JSON path of the bad value, and nothing is read. Malformed
/// values, values out of bounds, unknown fields and hostile text (control characters, lone surrogates, injection).
/// </summary>
public sealed class JourneyReaderInputTests
{
    private const string Tag = """{"kind": "tag", "tagId": "etA"}""";

    private static string Steps(int count) =>
        string.Join(",", Enumerable.Range(0, count).Select(i => JourneyJson.Step.Replace("\"s1\"", $"\"s{i}\"")));

    private static string Nested(int depth) =>
        string.Concat(Enumerable.Repeat("""{"not": """, depth)) + """{"stage": "new"}""" + new string('}', depth);

    public static TheoryData<string, string> BadJourneys() => new()
    {
        // the journey
        { Journey().Replace("\"id\": \"j1\", ", ""), "id" },
        { Journey(id: "bad id"), "id" },
        { Journey(id: "-leading-dash"), "id" },
        { Journey(id: "a/../../b"), "id" },
        { Journey(id: new string('j', 65)), "id" },
        { Journey().Replace("\"id\": \"j1\"", "\"id\": 5"), "id" },
        { Journey().Replace("\"name\": \"J\", ", ""), "name" },
        { Journey().Replace("\"name\": \"J\"", "\"name\": \"\""), "name" },
        { Journey().Replace("\"name\": \"J\"", "\"name\": \"a\\nb\""), "name" },
        { Journey().Replace("\"name\": \"J\"", "\"name\": \"a\\u0000b\""), "name" },
        { Journey().Replace("\"name\": \"J\"", "\"name\": \"\\ud800\""), "name" },
        { Journey().Replace("\"name\": \"J\"", $"\"name\": \"{new string('n', 101)}\""), "name" },
        { Journey().Replace("\"name\": \"J\"", "\"name\": [\"J\"]"), "name" },
        { Journey(extra: $", \"description\": \"{new string('d', 1001)}\""), "description" },
        { Journey(extra: ", \"description\": \"bell\\u0007\""), "description" },
        { Journey(extra: ", \"active\": \"yes\""), "active" },
        { Journey(extra: ", \"active\": 1"), "active" },
        { Journey(extra: ", \"version\": 3"), "version" },
        { Journey(extra: ", \"$where\": \"1=1\""), "?" },
        { Journey(extra: ", \"a\\u0000b\": 1"), "?" },
        { Journey().Replace("\"trigger\": {\"kind\": \"contactAdded\"}, ", ""), "trigger" },
        { Journey().Replace("\"steps\": [" + JourneyJson.Step + "]", "\"steps\": []"), "steps" },
        { Journey().Replace(", \"steps\": [" + JourneyJson.Step + "]", ""), "steps" },
        { Journey().Replace("\"steps\": [" + JourneyJson.Step + "]", "\"steps\": {}"), "steps" },
        { Journey(Steps(51)), "steps" },
        { Journey(extra: ", \"exits\": \"contactDeleted\""), "exits" },
        { Journey(extra: ", \"exits\": [" + string.Join(",", Enumerable.Repeat("""{"kind": "suppressed"}""", 11)) + "]"), "exits" },
        { Journey(extra: ", \"exits\": [{\"kind\": \"bored\"}]"), "exits[0].kind" },
        { Journey(extra: ", \"exits\": [{\"kind\": \"tagAdded\"}]"), "exits[0].tagId" },
        { Journey(extra: ", \"exits\": [{\"kind\": \"tagAdded\", \"tagId\": \"a b\"}]"), "exits[0].tagId" },
        { Journey(extra: ", \"exits\": [{\"kind\": \"contactDeleted\", \"tagId\": \"etA\"}]"), "exits[0].tagId" },
        { Journey(extra: ", \"exits\": [{\"kind\": \"suppressed\"}, {\"kind\": \"suppressed\"}]"), "exits[1]" },
        { Journey(extra: ", \"exits\": [\"suppressed\"]"), "exits[0]" },
        // the trigger
        { Journey(trigger: "\"contactAdded\""), "trigger" },
        { Journey(trigger: "{}"), "trigger.kind" },
        { Journey(trigger: """{"kind": "contactRemoved"}"""), "trigger.kind" },
        { Journey(trigger: """{"kind": 1}"""), "trigger.kind" },
        { Journey(trigger: """{"kind": "ContactAdded"}"""), "trigger.kind" },
        { Journey(trigger: """{"kind": "contactAdded", "tagId": "etA"}"""), "trigger.tagId" },
        { Journey(trigger: """{"kind": "contactAdded", "state": ""}"""), "trigger.state" },
        { Journey(trigger: """{"kind": "contactAdded", "state": "a\u001bb"}"""), "trigger.state" },
        { Journey(trigger: $$"""{"kind": "contactAdded", "state": "{{new string('s', 65)}}"}"""), "trigger.state" },
        { Journey(trigger: """{"kind": "contactAdded", "state": 42}"""), "trigger.state" },
        { Journey(trigger: """{"kind": "tagAdded"}"""), "trigger.tagId" },
        { Journey(trigger: """{"kind": "tagAdded", "tagId": "'; DROP TABLE journeys.definition_versions; --"}"""), "trigger.tagId" },
        { Journey(trigger: """{"kind": "followerSubscribed"}"""), "trigger.account" },
        { Journey(trigger: """{"kind": "followerSubscribed", "account": "a b"}"""), "trigger.account" },
        { Journey(trigger: """{"kind": "stageChanged"}"""), "trigger.stage" },
        { Journey(trigger: """{"kind": "stageChanged", "stage": "sleeping"}"""), "trigger.stage" },
        { Journey(trigger: """{"kind": "segmentEntered", "segmentId": "not-a-guid"}"""), "trigger.segmentId" },
        { Journey(trigger: """{"kind": "enrolCall", "state": "x"}"""), "trigger.state" },
        // steps
        { Journey("5"), "steps[0]" },
        { Journey("""{"delay": "PT0S", "action": {"kind": "tag", "tagId": "etA"}}"""), "steps[0].id" },
        { Journey("""{"id": "a b", "delay": "PT0S", "action": {"kind": "tag", "tagId": "etA"}}"""), "steps[0].id" },
        { Journey(JourneyJson.Step + "," + JourneyJson.Step), "steps[1].id" },
        { Journey("""{"id": "s1", "action": {"kind": "tag", "tagId": "etA"}}"""), "steps[0].delay" },
        { Action(Tag).Replace("P1D", "1 day"), "steps[0].delay" },
        { Action(Tag).Replace("P1D", "1.00:00:00"), "steps[0].delay" },
        { Action(Tag).Replace("P1D", "P"), "steps[0].delay" },
        { Action(Tag).Replace("P1D", "PT"), "steps[0].delay" },
        { Action(Tag).Replace("P1D", "P1DT"), "steps[0].delay" },
        { Action(Tag).Replace("P1D", "-P1D"), "steps[0].delay" },
        { Action(Tag).Replace("P1D", "P1Y"), "steps[0].delay" },
        { Action(Tag).Replace("P1D", "P1M"), "steps[0].delay" },
        { Action(Tag).Replace("P1D", "P1.5D"), "steps[0].delay" },
        { Action(Tag).Replace("P1D", "P366D"), "steps[0].delay" },
        { Action(Tag).Replace("P1D", "PT8761H"), "steps[0].delay" },
        { Action(Tag).Replace("P1D", "P99999999999999999999D"), "steps[0].delay" },
        { Action(Tag).Replace("P1D", "P\u0661D"), "steps[0].delay" },
        { Action(Tag).Replace("\"P1D\"", "86400"), "steps[0].delay" },
        { Action(Tag).Replace("\"P1D\"", "1e308"), "steps[0].delay" },
        { Journey("""{"id": "s1", "delay": "P2D", "action": {"kind": "tag", "tagId": "etA"}}, {"id": "s2", "delay": "P1D", "action": {"kind": "tag", "tagId": "etA"}}"""),
            "steps[1].delay" },
        { Action(Tag, ", \"at\": \"24:00\""), "steps[0].at" },
        { Action(Tag, ", \"at\": \"9:00\""), "steps[0].at" },
        { Action(Tag, ", \"at\": \"10:00:00\""), "steps[0].at" },
        { Action(Tag, ", \"at\": \"10:00Z\""), "steps[0].at" },
        { Action(Tag, ", \"at\": 1000"), "steps[0].at" },
        { Action(Tag, ", \"wait\": \"P1D\""), "steps[0].wait" },
        { Journey("""{"id": "s1", "delay": "P1D"}"""), "steps[0].action" },
        { Journey("""{"id": "s1", "id": "s2", "delay": "P1D", "action": {"kind": "tag", "tagId": "etA"}}"""), "steps[0].id" },
        // conditions: segment filters, or interactedSinceEnrolment
        { Conditions("{}"), "steps[0].conditions" },
        { Conditions("[" + string.Join(",", Enumerable.Repeat("""{"burstFlagged": false}""", 11)) + "]"), "steps[0].conditions" },
        { Conditions("""[{"stage": "sleeping"}]"""), "steps[0].conditions[0].stage" },
        { Conditions("""[{"bogus": 1}]"""), "steps[0].conditions[0].bogus" },
        { Conditions("""[{}]"""), "steps[0].conditions[0]" },
        { Conditions("""[{"stage": "new", "burstFlagged": true}]"""), "steps[0].conditions[0]" },
        { Conditions("""[{"tags": {"any": ["'; DROP TABLE pool.contacts; --"]}}]"""), "steps[0].conditions[0].tags.any[0]" },
        { Conditions("""[{"lastActive": {"before": "yesterday"}}]"""), "steps[0].conditions[0].lastActive.before" },
        { Conditions("""[{"burstFlagged": false}, {"all": [{"stage": "new"}, {"state": ""}]}]"""), "steps[0].conditions[1].all[1].state" },
        { Conditions("[" + Nested(7) + "]"), "steps[0].conditions[0]" + string.Concat(Enumerable.Repeat(".not", 7)) },
        { Conditions("""[{"interactedSinceEnrolment": "yes"}]"""), "steps[0].conditions[0].interactedSinceEnrolment" },
        { Conditions("""[{"interactedSinceEnrolment": null}]"""), "steps[0].conditions[0].interactedSinceEnrolment" },
        { Conditions("""[{"interactedSinceEnrolment": true, "stage": "new"}]"""), "steps[0].conditions[0].stage" },
        // actions
        { Action("\"tag\""), "steps[0].action" },
        { Action("{}"), "steps[0].action.kind" },
        { Action("""{"kind": "sms", "text": "hi"}"""), "steps[0].action.kind" },
        { Action("""{"kind": "customerTask"}"""), "steps[0].action" },
        { Action("""{"kind": "customerTask", "text": ""}"""), "steps[0].action" },
        { Action("""{"kind": "customerTask", "text": "hi", "tagId": "etA"}"""), "steps[0].action.tagId" },
        { Action($$"""{"kind": "customerTask", "text": "{{new string('字', 1334)}}"}"""), "steps[0].action.text" },
        { Action("""{"kind": "customerTask", "text": "a\u0001b"}"""), "steps[0].action.text" },
        { Action("""{"kind": "customerTask", "text": "\udc00 lone"}"""), "steps[0].action.text" },
        { Action("""{"kind": "customerTask", "text": 5}"""), "steps[0].action.text" },
        { Action("""{"kind": "customerTask", "attachments": "x"}"""), "steps[0].action.attachments" },
        { Action("""{"kind": "customerTask", "attachments": [""" + string.Join(",", Enumerable.Repeat("""{"type": "image", "mediaId": "m"}""", 10)) + "]}"),
            "steps[0].action.attachments" },
        { Action("""{"kind": "customerTask", "attachments": [5]}"""), "steps[0].action.attachments[0]" },
        { Action("""{"kind": "customerTask", "attachments": [{"type": "pdf"}]}"""), "steps[0].action.attachments[0].type" },
        { Action("""{"kind": "customerTask", "attachments": [{"type": "image"}]}"""), "steps[0].action.attachments[0]" },
        { Action("""{"kind": "customerTask", "attachments": [{"type": "image", "mediaId": "m", "extra": 1}]}"""), "steps[0].action.attachments[0].extra" },
        { Action("""{"kind": "customerTask", "attachments": [{"type": "link", "title": "t"}]}"""), "steps[0].action.attachments[0].url" },
        { Action("""{"kind": "customerTask", "attachments": [{"type": "link", "title": "t", "url": "javascript:alert(1)"}]}"""),
            "steps[0].action.attachments[0].url" },
        { Action("""{"kind": "customerTask", "attachments": [{"type": "image", "mediaId": 7}]}"""), "steps[0].action.attachments[0].mediaId" },
        { Action("""{"kind": "customerTask", "attachments": [{"type": "miniprogram", "title": "t", "mediaId": "m", "appId": "wx1"}]}"""),
            "steps[0].action.attachments[0].page" },
        { Action("""{"kind": "employeeReminder", "text": "hi"}"""), "steps[0].action.app" },
        { Action("""{"kind": "employeeReminder", "app": "notify"}"""), "steps[0].action.text" },
        { Action("""{"kind": "employeeReminder", "app": "no tify", "text": "hi"}"""), "steps[0].action.app" },
        { Action($$"""{"kind": "employeeReminder", "app": "notify", "text": "{{new string('x', 2049)}}"}"""), "steps[0].action.text" },
        { Action("""{"kind": "employeeReminder", "app": "notify", "text": "hi", "attachments": []}"""), "steps[0].action.attachments" },
        { Action("""{"kind": "template", "templateId": "T1", "data": {"k": "v"}}"""), "steps[0].action.account" },
        { Action("""{"kind": "template", "account": "brand", "data": {"k": "v"}}"""), "steps[0].action.templateId" },
        { Action("""{"kind": "template", "account": "brand", "templateId": "T 1", "data": {"k": "v"}}"""), "steps[0].action.templateId" },
        { Action("""{"kind": "template", "account": "brand", "templateId": "T1"}"""), "steps[0].action.data" },
        { Action("""{"kind": "template", "account": "brand", "templateId": "T1", "data": {}}"""), "steps[0].action.data" },
        { Action("""{"kind": "template", "account": "brand", "templateId": "T1", "data": ["v"]}"""), "steps[0].action.data" },
        { Action("""{"kind": "template", "account": "brand", "templateId": "T1", "data": {""" + string.Join(",", Enumerable.Range(0, 21).Select(i => $"\"k{i}\": \"v\"")) + "}}"),
            "steps[0].action.data" },
        { Action("""{"kind": "template", "account": "brand", "templateId": "T1", "data": {"a-b": "v"}}"""), "steps[0].action.data.?" },
        { Action("""{"kind": "template", "account": "brand", "templateId": "T1", "data": {"k": 5}}"""), "steps[0].action.data.k" },
        { Action($$$"""{"kind": "template", "account": "brand", "templateId": "T1", "data": {"k": "{{{new string('v', 21)}}}"}}"""),
            "steps[0].action.data.k" },
        { Action("""{"kind": "template", "account": "brand", "templateId": "T1", "data": {"k": "v"}, "url": "ftp://x"}"""), "steps[0].action.url" },
        { Action("""{"kind": "tag"}"""), "steps[0].action.tagId" },
        { Action($$"""{"kind": "untag", "tagId": "{{new string('t', 65)}}"}"""), "steps[0].action.tagId" },
        { Action("""{"kind": "wait", "timeout": "P1D"}"""), "steps[0].action.eventKind" },
        { Action("""{"kind": "wait", "eventKind": "Purchase", "timeout": "P1D"}"""), "steps[0].action.eventKind" },
        { Action("""{"kind": "wait", "eventKind": "purchase"}"""), "steps[0].action.timeout" },
        { Action("""{"kind": "wait", "eventKind": "purchase", "timeout": "PT0S"}"""), "steps[0].action.timeout" },
        { Action("""{"kind": "wait", "eventKind": "purchase", "timeout": "P400D"}"""), "steps[0].action.timeout" },
    };

    [Theory]
    [MemberData(nameof(BadJourneys))]
    public void A_bad_journey_is_refused_with_an_error_at_the_path_of_the_bad_value(string json, string path)
    {
        var journey = Read(json, out var errors);

        Assert.Null(journey);
        Assert.True(errors.ContainsKey(path), $"expected {path}; got {string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value[0]}"))}");
        Assert.DoesNotContain(errors.Values.SelectMany(m => m), m => m.Contains("DROP TABLE", StringComparison.Ordinal));
    }

    [Fact]
    public void An_id_in_the_body_of_a_replacement_must_be_the_one_of_the_URL()
    {
        Assert.Null(Read(Journey(id: "other"), out var errors, routeId: "j1"));
        Assert.Contains("id", errors.Keys);
        Assert.NotNull(Read(Journey(id: "j1"), out _, routeId: "j1"));
    }

    [Fact]
    public void Thousands_of_bad_fields_are_answered_with_a_bounded_list_of_errors()
    {
        var fields = string.Join(",", Enumerable.Range(0, 5000).Select(i => $"\"f{i}\": 1"));

        Assert.Null(Read(Journey(extra: ", " + fields), out var errors));

        Assert.InRange(errors.Count, 2, 102);
        Assert.Contains("$", errors.Keys);
    }
}
