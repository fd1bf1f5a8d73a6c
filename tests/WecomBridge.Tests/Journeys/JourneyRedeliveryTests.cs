using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MassTransit;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using WecomBridge.Journeys.Runtime;
using WecomBridge.Messaging;
using WecomBridge.Pool;
using WecomBridge.Tests.Api;
using WecomBridge.Tests.Infrastructure;
using WecomBridge.Tests.Pool;

namespace WecomBridge.Tests.Journeys;

/// <summary>
/// An event that enrols into several journeys and fails part-way (the journey store throws after the first enrolment):
/// its redelivery enrols into the rest, and not twice into the first. Embedded mode, the journey store in memory
/// behind <see cref="FailingJourneyStore"/>.
/// </summary>
public sealed class JourneyRedeliveryTests : IAsyncDisposable
{
    private readonly ApiApp _app = new(settings: new Dictionary<string, string?> { ["Journeys:RunnerEnabled"] = "false" });
    private readonly WebApplicationFactory<Program> _factory;
    private readonly string _ext = "wm" + Guid.NewGuid().ToString("N")[..10];
    private FailingJourneyStore _store = null!;

    public JourneyRedeliveryTests() => _factory = _app.Factory.WithWebHostBuilder(web => web.ConfigureTestServices(services =>
        services.AddSingleton<IJourneyStore>(sp => _store = new FailingJourneyStore(new InMemoryJourneyStore(sp.GetRequiredService<IMessagePublisher>())))));

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _app.DisposeAsync();
    }

    private async Task CreateAsync(string id, string trigger)
    {
        using var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiApp.CrmKey);
        var response = await client.PostAsync("/api/v1/journeys/acme", new StringContent($$"""
            { "id": "{{id}}", "name": "{{id}}", "trigger": {{trigger}},
              "steps": [ { "id": "later", "delay": "P1D", "action": { "kind": "customerTask", "text": "Hi" } } ] }
            """, Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private Task PublishAsync(object message) => _factory.Services.GetRequiredService<IBus>().Publish(message);

    private Task<IReadOnlyList<EnrolmentHistory>> HistoryAsync() => _store.HistoryAsync("acme", _ext, 50);

    [Fact]
    public async Task A_tag_read_that_failed_after_its_first_enrolment_enrols_into_the_rest_when_redelivered()
    {
        foreach (var id in new[] { "vip-a", "vip-b", "vip-c" }) await CreateAsync(id, """{ "kind": "tagAdded", "tagId": "etVIP" }""");
        await PublishAsync(PoolEvents.Added(_ext, "zhangsan", 0));
        await PublishAsync(PoolEvents.Snapshot(_ext, 1, null, null, PoolEvents.Follow("zhangsan", 0, null, null, "etOLD")));
        await Eventually.True(async () => (await _factory.Services.GetRequiredService<IPoolStore>().GetContactAsync("acme", _ext))?.TagIds
            .Contains("etOLD") == true, what: "the first read applied");
        var tagged = PoolEvents.Snapshot(_ext, 2, null, null, PoolEvents.Follow("zhangsan", 0, null, null, "etOLD", "etVIP"));
        _store.FailEnrolAt = 2;

        await PublishAsync(tagged);
        await _store.Failed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(["vip-a"], (await HistoryAsync()).Select(h => h.Enrolment.JourneyId));
        await PublishAsync(tagged); // the broker's redelivery (or the message moved back from the _error queue)
        var history = await Eventually.Get(HistoryAsync, h => h.Count == 3, what: "enrolled into the other two");

        Assert.Equal(["vip-a", "vip-b", "vip-c"], history.Select(h => h.Enrolment.JourneyId).Order());
        Assert.All(history, h => Assert.Equal(tagged.EventId, h.Enrolment.Source));
        await PublishAsync(tagged); // once more, after it went through: nothing new
        await PublishAsync(PoolEvents.Snapshot(_ext + "x", 3, null, null, PoolEvents.Follow("zhangsan", 0)));
        await Eventually.True(async () => await _factory.Services.GetRequiredService<IPoolStore>().GetContactAsync("acme", _ext + "x") is not null,
            what: "a later read applied");
        Assert.Equal(3, (await HistoryAsync()).Count);
    }
}
