using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using WecomBridge.Contracts.Sending;
using WecomBridge.Sending.Dispatcher;
using WecomBridge.Sending.Status;
using WecomBridge.Sending.Sweep;
using WecomBridge.Tests.Api;

namespace WecomBridge.Tests.Sending.Api;

/// <summary>
/// The API's side of a message's life: notAfter (validated, carried, and the send dropped past it), DELETE (cancel
/// while accepted or deferred), a repeat after the sweeper found it lost, and corp names as configured.
/// Commands are recorded instead of published; the tests hand them to the dispatcher's <see cref="SendWork"/> themselves.
/// </summary>
public sealed class MessageLifecycleTests : IAsyncLifetime
{
    private readonly ApiApp _api = SendApiApp.Create(new Dictionary<string, string?> { ["Dispatch:Defaults:QuietHours:Enabled"] = "false" });

    public Task InitializeAsync() => Task.CompletedTask;
    public Task DisposeAsync() => _api.DisposeAsync().AsTask();

    private ISendStatusStore Store => _api.Factory.Services.GetRequiredService<ISendStatusStore>();

    private static object CustomerTask(object? notAfter = null, string corp = "acme") => new
    {
        kind = "customer-task", corp,
        customerTask = new { sender = "zhangsan", externalUserIds = new[] { "wmAlice", "wmBob" }, text = "Spring sale" },
        notAfter,
    };

    private IReadOnlyList<SendRequested> Commands => _api.Events.Of<SendRequested>()
        .Select(json => JsonSerializer.Deserialize<SendRequested>(json.GetRawText(), JsonSerializerOptions.Web)!).ToList();

    private Task RunAsync(SendRequested send) => _api.Factory.Services.GetRequiredService<SendWork>().RunAsync(send, default);

    private static string Iso(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz");

    public static TheoryData<string> BadNotAfter => new()
    {
        "\"tomorrow\"",                              // malformed
        "\"2020-01-01T00:00:00Z\"",                  // past
        "\"2999-01-01T00:00:00Z\"",                  // absurdly far
        "\"2027-01-01T00:00:00\"",                   // no offset: depends on the server's zone
        "\"2027-01-01\"",                            // a date, no time
        "1767225600",                                // wrong type
        "{\"at\":1}",                                // wrong type
        "\"" + new string('9', 5000) + "\"",         // oversized
    };

    [Theory]
    [MemberData(nameof(BadNotAfter))]
    public async Task A_bad_notAfter_is_400_naming_the_field_and_queues_nothing(string value)
    {
        var json = """{"kind":"customer-task","corp":"acme","customerTask":{"sender":"zhangsan","text":"x"},"notAfter":""" + value + "}";

        var problem = await ApiKeyTests.AssertProblem(await _api.Client().PostJson(json), 400);

        Assert.Contains(problem.GetProperty("errors").EnumerateObject(), e => e.Name == "notAfter");
        Assert.Equal(0, _api.Events.Count);
    }

    [Fact]
    public async Task A_welcome_takes_no_notAfter()
    {
        var json = $$"""{"kind":"welcome","corp":"acme","app":"crm","welcome":{"welcomeCode":"CODE1"},"notAfter":"{{Iso(DateTimeOffset.UtcNow.AddHours(1))}}"}""";
        var problem = await ApiKeyTests.AssertProblem(await _api.Client().PostJson(json), 400);
        Assert.Contains(problem.GetProperty("errors").EnumerateObject(), e => e.Name == "notAfter");
    }

    [Fact]
    public async Task NotAfter_is_carried_in_the_command_and_status_and_a_send_past_it_is_dropped_with_its_event()
    {
        var notAfter = DateTimeOffset.UtcNow.AddMinutes(30);
        var id = await SendApiApp.AcceptedId(await _api.Client().PostMessage(CustomerTask(Iso(notAfter))));

        var command = Assert.Single(Commands);
        Assert.Equal(notAfter.ToUnixTimeMilliseconds(), command.NotAfter?.ToUnixTimeMilliseconds());
        var status = await _api.Client().GetFromJsonAsync<JsonElement>($"/api/v1/messages/{id}");
        Assert.Equal(notAfter.ToUnixTimeMilliseconds(), status.GetProperty("notAfter").GetDateTimeOffset().ToUnixTimeMilliseconds());

        // The command reaches a dispatcher after its time (a backlog, a long deferral): dropped, never sent.
        await RunAsync(command with { NotAfter = DateTimeOffset.UtcNow.AddSeconds(-1) });

        var dropped = (await Store.GetAsync(id))!;
        Assert.Equal((SendStates.Dropped, SendDrops.Expired), (dropped.State, dropped.Reason));
        var e = Assert.Single(_api.Events.Of<MessageDropped>());
        Assert.Equal((id, "expired"), (e.GetProperty("messageId").GetString(), e.GetProperty("reason").GetString()));
        Assert.Empty(_api.WeCom.Data.MsgTemplates);
    }

    [Fact]
    public async Task An_accepted_message_is_cancelled_and_its_command_then_sends_nothing()
    {
        var id = await SendApiApp.AcceptedId(await _api.Client().PostMessage(CustomerTask()));

        var response = await _api.Client().DeleteAsync($"{SendApiApp.Messages}/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("dropped", "cancelled"), (body.GetProperty("status").GetString(), body.GetProperty("reason").GetString()));
        Assert.Equal(id, Assert.Single(_api.Events.Of<MessageDropped>()).GetProperty("messageId").GetString());

        await RunAsync(Assert.Single(Commands));
        Assert.Empty(_api.WeCom.Data.MsgTemplates);
        Assert.Equal(SendStates.Dropped, (await Store.GetAsync(id))!.State);
        await ApiKeyTests.AssertProblem(await _api.Client().DeleteAsync($"{SendApiApp.Messages}/{id}"), 409);
    }

    [Fact]
    public async Task A_deferred_message_is_cancelled()
    {
        var id = await SendApiApp.AcceptedId(await _api.Client().PostMessage(CustomerTask()));
        var status = (await Store.GetAsync(id))!;
        await Store.SaveAsync(status with { State = SendStates.Deferred, DeferredUntil = DateTimeOffset.UtcNow.AddHours(1), Reason = "quiet-hours" });

        Assert.Equal(HttpStatusCode.OK, (await _api.Client().DeleteAsync($"{SendApiApp.Messages}/{id}")).StatusCode);
        Assert.Equal(SendStates.Dropped, (await Store.GetAsync(id))!.State);
    }

    [Theory]
    [InlineData(SendStates.Sending)]
    [InlineData(SendStates.Sent)]
    [InlineData(SendStates.Failed)]
    [InlineData(SendStates.Ambiguous)]
    public async Task A_message_being_sent_or_finished_is_409_naming_its_state(string state)
    {
        var id = await SendApiApp.AcceptedId(await _api.Client().PostMessage(CustomerTask()));
        var status = (await Store.GetAsync(id))!;
        if (state == SendStates.Sending) await Store.ClaimAsync(id, status, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), null);
        else await Store.SaveAsync(status with { State = state });

        var problem = await ApiKeyTests.AssertProblem(await _api.Client().DeleteAsync($"{SendApiApp.Messages}/{id}"), 409);

        Assert.Equal(state, problem.GetProperty("state").GetString());
        Assert.Contains(state == SendStates.Sending ? "being sent" : state, problem.GetProperty("detail").GetString());
        Assert.Equal(state, (await Store.GetAsync(id))!.State);
        Assert.Empty(_api.Events.Of<MessageDropped>());
    }

    [Theory]
    [InlineData("0193a1b2c3d47e8f9a0b1c2d3e4f5a6b")]  // well-formed, unknown
    [InlineData("..%2F..%2Fetc")]
    [InlineData("a%20b")]
    [InlineData("wb%3Amsg%3Ax")]
    [InlineData("%25%25")]
    [InlineData("%E5%BC%A0")]
    public async Task An_unknown_or_malformed_id_is_404(string id)
    {
        await ApiKeyTests.AssertProblem(await _api.Client().DeleteAsync($"{SendApiApp.Messages}/{id}"), 404);
    }

    [Fact]
    public async Task An_oversized_id_is_404_and_a_key_out_of_scope_is_403()
    {
        await ApiKeyTests.AssertProblem(await _api.Client().DeleteAsync($"{SendApiApp.Messages}/{new string('a', 5000)}"), 404);
        var id = await SendApiApp.AcceptedId(await _api.Client().PostMessage(CustomerTask()));

        await ApiKeyTests.AssertProblem(await _api.Client(ApiApp.OtherKey).DeleteAsync($"{SendApiApp.Messages}/{id}"), 403);

        Assert.Equal(SendStates.Accepted, (await Store.GetAsync(id))!.State);
    }

    [Fact]
    public async Task A_message_lost_before_a_dispatcher_took_it_is_queued_again_by_a_repeat_and_sent_once()
    {
        var id = await SendApiApp.AcceptedId(await _api.Client().PostMessage(CustomerTask(), "order-7"));
        var lostCommand = Assert.Single(Commands);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow + new SweepOptions().AcceptedFor + TimeSpan.FromMinutes(1));
        var sweep = new SendSweep(Store, new SendResults(Store, _api.Events, clock),
            Microsoft.Extensions.Options.Options.Create(new SweepOptions()), clock, NullLogger<SendSweep>.Instance);

        await sweep.RunOnceAsync(default);

        var status = await _api.Client().GetFromJsonAsync<JsonElement>($"/api/v1/messages/{id}");
        Assert.Equal(("failed", SendSweep.NeverTaken), (status.GetProperty("status").GetString(), status.GetProperty("reason").GetString()));
        Assert.Single(_api.Events.Of<MessageFailed>());

        Assert.Equal(id, await SendApiApp.AcceptedId(await _api.Client().PostMessage(CustomerTask(), "order-7")));
        Assert.Equal(2, Commands.Count);

        // The lost command turns up after all, and the repeat's too: one send.
        await RunAsync(lostCommand);
        await RunAsync(Commands[1]);
        Assert.Equal(SendStates.Sent, (await Store.GetAsync(id))!.State);
        Assert.Single(_api.WeCom.Data.MsgTemplates);
    }

    [Fact]
    public async Task Corp_and_app_names_are_taken_as_configured_and_unknown_ones_stay_errors()
    {
        var id = await SendApiApp.AcceptedId(await _api.Client().PostMessage(CustomerTask(corp: "ACME")));

        Assert.Equal("acme", Assert.Single(Commands).Corp);
        Assert.Equal("acme", (await Store.GetAsync(id))!.Corp);
        Assert.Equal(HttpStatusCode.OK, (await _api.Client().GetAsync($"{SendApiApp.Messages}/{id}")).StatusCode);

        var employee = """{"kind":"employee-message","corp":"Acme","app":"CRM","employeeMessage":{"toUsers":["zhangsan"],"content":"hi"}}""";
        await SendApiApp.AcceptedId(await _api.Client().PostJson(employee));
        Assert.Equal(("acme", "crm"), (Commands[1].Corp, Commands[1].App));

        var unknownApp = """{"kind":"employee-message","corp":"Acme","app":"nope","employeeMessage":{"toUsers":["zhangsan"],"content":"hi"}}""";
        var problem = await ApiKeyTests.AssertProblem(await _api.Client().PostJson(unknownApp), 400);
        Assert.Contains(problem.GetProperty("errors").EnumerateObject(), e => e.Name == "app");
        await ApiKeyTests.AssertProblem(await _api.Client().PostMessage(CustomerTask(corp: "nowhere")), 403);
        Assert.Equal(2, Commands.Count);
    }
}
