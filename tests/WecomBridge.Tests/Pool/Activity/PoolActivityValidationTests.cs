using System.Net;
using System.Net.Http.Json;
using System.Text;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using WecomBridge.Pool;
using WecomBridge.Tests.Api;
using WecomBridge.Tests.Infrastructure;
using static WecomBridge.Tests.Pool.PoolEvents;

namespace WecomBridge.Tests.Pool.Activity;

/// <summary>One embedded app (the pool in memory) with a contact and a follower, shared by the hostile-input cases.</summary>
public sealed class ActivityApp : IAsyncLifetime
{
    public ApiApp Api { get; } = new();

    public async Task InitializeAsync()
    {
        var bus = Api.Factory.Services.GetRequiredService<IBus>();
        await bus.Publish(Added("wmA", "zhangsan", 0, "qr"));
        await bus.Publish(Subscribed("o1", 0));
        await Eventually.True(async () => await Api.Factory.Services.GetRequiredService<IPoolStore>().GetFollowerAsync(Account, "o1") is not null
            && await Api.Factory.Services.GetRequiredService<IPoolStore>().GetContactAsync(Corp, "wmA") is not null, what: "contact and follower");
    }

    public Task DisposeAsync() => Api.DisposeAsync().AsTask();
}

/// <summary>Malformed, hostile and oversized reports to both interaction endpoints: a 400 naming the field, nothing recorded.</summary>
public sealed class PoolActivityValidationTests(ActivityApp app) : IClassFixture<ActivityApp>
{
    private const string Contact = "/api/v1/pool/acme/contacts/wmA/interactions";
    private const string Follower = "/api/v1/pool/oa/brand/followers/o1/interactions";
    private const string At = "\"at\":\"2026-01-10T08:05:00Z\"";

    public static TheoryData<string, string, string?> BadReports => new()
    {
        { Contact, "", "body" },
        { Contact, "null", "body" },
        { Contact, "[]", null },
        { Contact, "{\"kind\":\"purchase\"", null },
        { Contact, "{}", "kind" },
        { Contact, "{}", "at" },
        { Contact, $"{{\"kind\":\"\",{At}}}", "kind" },
        { Contact, $"{{\"kind\":\"Purchase\",{At}}}", "kind" },
        { Contact, $"{{\"kind\":\"buy now\",{At}}}", "kind" },
        { Contact, $"{{\"kind\":\"9lives\",{At}}}", "kind" },
        { Contact, $"{{\"kind\":\"purchase\\u0000\",{At}}}", "kind" },
        { Contact, $"{{\"kind\":\"{new string('k', 33)}\",{At}}}", "kind" },
        { Contact, $"{{\"kind\":\"{new string('k', 3000)}\",{At}}}", "kind" },
        { Contact, $"{{\"kind\":\"购买\",{At}}}", "kind" },
        { Contact, "{\"kind\":\"purchase\",\"at\":\"yesterday\"}", "at" },
        { Contact, "{\"kind\":\"purchase\",\"at\":\"2099-01-01T00:00:00Z\"}", "at" },
        { Contact, "{\"kind\":\"purchase\",\"at\":\"1970-01-01T00:00:00Z\"}", "at" },
        { Contact, $"{{\"kind\":\"purchase\",\"at\":\"2026-01-10T08:05:00Z{new string(' ', 40)}\"}}", "at" },
        { Contact, "{\"kind\":\"purchase\",\"at\":1767000000}", null },
        { Contact, $"{{\"kind\":\"purchase\",{At},\"id\":\"\"}}", "id" },
        { Contact, $"{{\"kind\":\"purchase\",{At},\"id\":\"order 1\"}}", "id" },
        { Contact, $"{{\"kind\":\"purchase\",{At},\"id\":\"'; DROP TABLE pool.contacts;--\"}}", "id" },
        { Contact, $"{{\"kind\":\"purchase\",{At},\"id\":\"{new string('i', 129)}\"}}", "id" },
        { "/api/v1/pool/acme/contacts/wm%20A/interactions", $"{{\"kind\":\"purchase\",{At}}}", "externalUserId" },
        { $"/api/v1/pool/acme/contacts/{new string('w', 129)}/interactions", $"{{\"kind\":\"purchase\",{At}}}", "externalUserId" },
        { Follower, "{}", "kind" },
        { Follower, "{\"kind\":\"click\",\"at\":\"not a time\"}", "at" },
        { Follower, $"{{\"kind\":\"click\",{At},\"id\":\"a\\nb\"}}", "id" },
        { "/api/v1/pool/oa/brand/followers/o%3B1/interactions", $"{{\"kind\":\"click\",{At}}}", "openId" },
    };

    [Theory]
    [MemberData(nameof(BadReports))]
    public async Task A_bad_report_is_a_400_naming_the_field_and_records_nothing(string path, string json, string? field)
    {
        var response = await app.Api.Client().PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

        var problem = await ApiKeyTests.AssertProblem(response, 400);
        if (field is not null)
        {
            var errors = problem.GetProperty("errors");
            Assert.True(errors.EnumerateObject().Any(e => e.Name.Equals(field, StringComparison.OrdinalIgnoreCase)), errors.ToString());
        }
        await AssertNothingRecorded();
    }

    [Fact]
    public async Task An_oversized_report_is_413_before_binding_and_other_scopes_are_403()
    {
        var json = "{\"kind\":\"purchase\"," + At + ",\"padding\":\"" + new string('x', 5000) + "\"}";
        var response = await app.Api.Client().PostAsync(Contact, new StringContent(json, Encoding.UTF8, "application/json"));
        await ApiKeyTests.AssertProblem(response, 413);

        var report = new { kind = "purchase", at = "2026-01-10T08:05:00Z" };
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Api.Client(ApiApp.OtherKey).PostAsJsonAsync(Contact, report)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Api.Client(ApiApp.OtherKey).PostAsJsonAsync(Follower, report)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Api.Client(null).PostAsJsonAsync(Contact, report)).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType,
            (await app.Api.Client().PostAsync(Contact, new StringContent("kind=purchase", Encoding.UTF8, "application/x-www-form-urlencoded"))).StatusCode);
        await AssertNothingRecorded();
    }

    private async Task AssertNothingRecorded()
    {
        var store = app.Api.Factory.Services.GetRequiredService<IPoolStore>();
        Assert.Equal("added", (await store.GetContactAsync(Corp, "wmA"))!.LastInteractionKind);
        Assert.Equal("subscribed", (await store.GetFollowerAsync(Account, "o1"))!.LastInteractionKind);
    }
}
