using Microsoft.Extensions.Time.Testing;
using WecomBridge.Journeys;
using static WecomBridge.Tests.Journeys.Definitions.JourneyJson;

namespace WecomBridge.Tests.Journeys.Definitions;

/// <summary>
/// What every journey definition store does, run against PostgreSQL and memory alike: saving adds the next version and
/// never changes one, reads give a version as saved, lists give the latest versions by id.
/// </summary>
public abstract class JourneyDefinitionStoreContract : IAsyncLifetime
{
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
    private IJourneyDefinitionStore _store = null!;
    private readonly string _corp = "corp" + Guid.NewGuid().ToString("N")[..8];

    internal abstract Task<IJourneyDefinitionStore> CreateStoreAsync();

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    private JourneyDefinition Journey(string id, string name = "J", string trigger = """{"kind": "contactAdded"}""", string? corp = null) =>
        Valid(JourneyJson.Journey(trigger: trigger, id: id).Replace("\"name\": \"J\"", $"\"name\": \"{name}\""), corp ?? _corp);

    [Fact]
    public async Task Saving_adds_the_next_version_and_never_changes_an_earlier_one()
    {
        var first = await _store.SaveAsync(Journey("welcome", "first"));
        Time.Advance(TimeSpan.FromMinutes(1));
        var second = await _store.SaveAsync(Journey("welcome", "second") with { Version = 99 });
        await _store.SaveAsync(Journey("other"));

        Assert.Equal((1, 2), (first.Version, second.Version));
        Assert.Equal(TimeSpan.FromMinutes(1), second.CreatedAt - first.CreatedAt);
        Assert.Equal("first", (await _store.GetAsync(_corp, "welcome", 1))!.Name);
        Assert.Equal("second", (await _store.GetAsync(_corp, "welcome", 2))!.Name);
        Assert.Equal(2, (await _store.GetAsync(_corp, "welcome"))!.Version);
        Assert.Equal(1, (await _store.GetAsync(_corp, "other"))!.Version);
        Assert.Null(await _store.GetAsync(_corp, "welcome", 3));
        Assert.Null(await _store.GetAsync(_corp, "welcome", 0));
        Assert.Null(await _store.GetAsync(_corp, "missing"));
        Assert.Null(await _store.GetAsync("elsewhere", "welcome"));
    }

    [Fact]
    public async Task A_version_reads_back_as_it_was_saved()
    {
        var saved = await _store.SaveAsync(Valid(File.ReadAllText(Path.Combine(ExamplesFolder, "welcome-sop.json")), _corp));

        var read = (await _store.GetAsync(_corp, "welcome-sop", 1))!;

        Assert.Equal((saved.Corp, saved.Id, saved.Version, saved.Name, saved.Active, saved.CreatedAt, saved.Trigger),
            (read.Corp, read.Id, read.Version, read.Name, read.Active, read.CreatedAt, read.Trigger));
        Assert.Equal(saved.Source.GetRawText(), read.Source.GetRawText());
        Assert.Equal(saved.Steps.Select(s => (s.Id, s.Delay, s.At, s.Conditions.Count, s.Action.Kind, s.Action.Text)),
            read.Steps.Select(s => (s.Id, s.Delay, s.At, s.Conditions.Count, s.Action.Kind, s.Action.Text)));
        Assert.Equal(saved.Steps[6].Conditions[1], read.Steps[6].Conditions[1]);
        Assert.Equal(saved.Exits, read.Exits);
    }

    [Fact]
    public async Task Lists_give_the_latest_version_of_each_journey_of_the_corp_by_id()
    {
        await _store.SaveAsync(Journey("b-journey", "b1"));
        await _store.SaveAsync(Journey("a-journey", "a1"));
        await _store.SaveAsync(Journey("b-journey", "b2"));
        await _store.SaveAsync(Journey("B-journey", "capital"));
        await _store.SaveAsync(Journey("a-journey", "elsewhere", corp: _corp + "x"));

        var list = await _store.ListAsync(_corp);

        Assert.Equal(["B-journey", "a-journey", "b-journey"], list.Select(d => d.Id));
        Assert.Equal(["capital", "a1", "b2"], list.Select(d => d.Name));
        Assert.Equal([1, 1, 2], list.Select(d => d.Version));
        Assert.Empty(await _store.ListAsync("nobody" + _corp));
    }

    [Fact]
    public async Task Corp_names_compare_ignoring_case()
    {
        await _store.SaveAsync(Journey("welcome", corp: _corp.ToUpperInvariant()));
        await _store.SaveAsync(Journey("welcome"));

        Assert.Equal(2, (await _store.GetAsync(_corp.ToUpperInvariant(), "welcome"))!.Version);
        Assert.Single(await _store.ListAsync(_corp));
    }

    [Fact]
    public async Task Active_journeys_by_trigger_are_the_latest_versions_that_are_active()
    {
        await _store.SaveAsync(Journey("added"));
        await _store.SaveAsync(Journey("stopped"));
        await _store.SaveAsync(Journey("stopped") with { Active = false });
        await _store.SaveAsync(Journey("dormant", trigger: """{"kind": "stageChanged", "stage": "dormant"}"""));

        Assert.Equal(["added"], (await _store.ActiveByTriggerAsync(_corp, JourneyTriggerKinds.ContactAdded)).Select(d => d.Id));
        Assert.Equal(["dormant"], (await _store.ActiveByTriggerAsync(_corp, JourneyTriggerKinds.StageChanged)).Select(d => d.Id));
        Assert.Empty(await _store.ActiveByTriggerAsync(_corp, JourneyTriggerKinds.TagAdded));
        Assert.False((await _store.GetAsync(_corp, "stopped"))!.Active);
        Assert.True((await _store.GetAsync(_corp, "stopped", 1))!.Active);
    }

    [Fact]
    public async Task Concurrent_saves_of_one_journey_each_get_their_own_version()
    {
        var saves = Enumerable.Range(0, 24).Select(i => Task.Run(() => _store.SaveAsync(Journey("busy", $"n{i}"))));

        var saved = await Task.WhenAll(saves);

        Assert.Equal(Enumerable.Range(1, 24), saved.Select(d => d.Version).Order());
        foreach (var d in saved) Assert.Equal(d.Name, (await _store.GetAsync(_corp, "busy", d.Version))!.Name);
        Assert.Equal(24, (await _store.GetAsync(_corp, "busy"))!.Version);
    }
}
