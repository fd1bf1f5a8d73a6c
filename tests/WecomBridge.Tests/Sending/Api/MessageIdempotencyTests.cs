using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WecomBridge.Contracts.Sending;
using WecomBridge.Sending.Status;
using WecomBridge.Tests.Api;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Sending.Api;

/// <summary>Idempotency-Key: one message per key and API key; a different body is 422; a failed publish is 503 and healed by a repeat.</summary>
public sealed class MessageIdempotencyTests : IAsyncLifetime
{
    private readonly ApiApp _api = SendApiApp.Create();

    public Task InitializeAsync() => Task.CompletedTask;
    public Task DisposeAsync() => _api.DisposeAsync().AsTask();

    [Fact]
    public async Task The_same_key_and_body_give_the_same_message_and_a_different_body_is_422()
    {
        var first = await SendApiApp.AcceptedId(await _api.Client().PostMessage(SendApiApp.Template(), "order-42"));
        var again = await SendApiApp.AcceptedId(await _api.Client().PostMessage(SendApiApp.Template(), "order-42"));
        var other = await SendApiApp.AcceptedId(await _api.Client().PostMessage(SendApiApp.Template(), "order-43"));

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        // Still accepted and within the first request's hold: the repeat leaves the command to it, publishes nothing.
        Assert.Equal([first, other], _api.Events.EventIds);

        var changed = SendApiApp.Template(new { openId = "oFollower2", templateId = "tplOrderShipped_01", data = new { thing1 = "x" } });
        var problem = await ApiKeyTests.AssertProblem(await _api.Client().PostMessage(changed, "order-42"), 422);
        Assert.Equal(first, problem.GetProperty("messageId").GetString());
        Assert.Equal(2, _api.Events.Count);
    }

    [Fact]
    public async Task Template_keywords_in_another_order_are_the_same_request()
    {
        var a = """{"kind":"template","account":"brand","template":{"openId":"o1","templateId":"t1","data":{"a":"1","b":"2"}}}""";
        var b = """{"template":{"data":{"b":"2","a":"1"},"templateId":"t1","openId":"o1"},"account":"brand","kind":"template"}""";

        Assert.Equal(await SendApiApp.AcceptedId(await _api.Client().PostJson(a, "k1")), await SendApiApp.AcceptedId(await _api.Client().PostJson(b, "k1")));
    }

    [Fact]
    public async Task Keys_are_scoped_to_the_api_key()
    {
        var crm = await SendApiApp.AcceptedId(await _api.Client().PostMessage(SendApiApp.CustomerTask(), "same"));
        var other = await SendApiApp.AcceptedId(await _api.Client(ApiApp.OtherKey).PostJson(
            """{"kind":"customer-task","corp":"beta","customerTask":{"sender":"zhangsan","text":"x"}}""", "same"));

        Assert.NotEqual(crm, other);
    }

    [Fact]
    public async Task When_the_broker_fails_it_is_503_the_status_failed_and_a_repeat_with_the_key_queues_it()
    {
        _api.Events.FailWith = new IOException("broker down");
        var response = await _api.Client().PostMessage(SendApiApp.CustomerTask(), "retry-me");

        var problem = await ApiKeyTests.AssertProblem(response, 503);
        Assert.NotNull(response.Headers.RetryAfter);
        var id = problem.GetProperty("messageId").GetString()!;
        var status = await _api.Client().GetFromJsonAsync<JsonElement>($"/api/v1/messages/{id}");
        Assert.Equal("failed", status.GetProperty("status").GetString());
        Assert.Equal("not queued", status.GetProperty("reason").GetString());

        _api.Events.FailWith = null;
        Assert.Equal(id, await SendApiApp.AcceptedId(await _api.Client().PostMessage(SendApiApp.CustomerTask(), "retry-me")));
        Assert.Equal(id, Assert.Single(_api.Events.Of<SendRequested>()).GetProperty("messageId").GetString());
        status = await _api.Client().GetFromJsonAsync<JsonElement>($"/api/v1/messages/{id}");
        Assert.Equal("accepted", status.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_repeat_of_a_message_the_dispatcher_already_took_answers_its_state_and_publishes_nothing()
    {
        var id = await SendApiApp.AcceptedId(await _api.Client().PostMessage(SendApiApp.CustomerTask(), "taken"));
        var store = _api.Factory.Services.GetRequiredService<ISendStatusStore>();
        await store.SaveAsync((await store.GetAsync(id))! with { State = SendStates.Sent, MsgId = "msgGROUP1" });

        var again = await _api.Client().PostMessage(SendApiApp.CustomerTask(), "taken");

        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var body = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(id, body.GetProperty("messageId").GetString());
        Assert.Equal("sent", body.GetProperty("status").GetString());
        Assert.Single(_api.Events.EventIds);
    }

    [Fact]
    public async Task A_confirm_after_the_timeout_for_a_message_a_dispatcher_already_took_is_202_with_its_state()
    {
        var store = _api.Factory.Services.GetRequiredService<ISendStatusStore>();
        var confirmed = new TaskCompletionSource();
        _api.Events.BeforeConfirm = async id =>
        {
            // The command reached the broker and a dispatcher took it; the confirm arrives only after the API gave up.
            await store.ClaimAsync(id, (await store.GetAsync(id))!, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), null);
            await confirmed.Task;
        };

        var response = await _api.Client().PostMessage(SendApiApp.CustomerTask(), "late-confirm").WaitAsync(TimeSpan.FromSeconds(20));
        confirmed.SetResult();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(SendStates.Sending, body.GetProperty("status").GetString());
        var id = body.GetProperty("messageId").GetString()!;
        Assert.Equal(SendStates.Sending, (await store.GetAsync(id))!.State);
        Assert.Single(_api.Events.Of<SendRequested>());
    }

    [Fact]
    public async Task A_confirm_after_the_timeout_for_a_message_nobody_took_is_503_and_the_message_stays_unsent()
    {
        var confirmed = new TaskCompletionSource();
        _api.Events.BeforeConfirm = _ => confirmed.Task;

        var response = await _api.Client().PostMessage(SendApiApp.CustomerTask(), "late-nobody").WaitAsync(TimeSpan.FromSeconds(20));
        confirmed.SetResult();

        var problem = await ApiKeyTests.AssertProblem(response, 503);
        var id = problem.GetProperty("messageId").GetString()!;
        var status = (await _api.Factory.Services.GetRequiredService<ISendStatusStore>().GetAsync(id))!;
        Assert.Equal((SendStates.Failed, "not queued"), (status.State, status.Reason)); // a dispatcher that gets it finds it finished
    }

    [Fact]
    public async Task A_broker_that_never_confirms_is_503_within_the_publish_timeout()
    {
        _api.Events.Hang = true;

        var response = await _api.Client().PostMessage(SendApiApp.CustomerTask()).WaitAsync(TimeSpan.FromSeconds(20));

        var problem = await ApiKeyTests.AssertProblem(response, 503);
        var id = problem.GetProperty("messageId").GetString();
        var status = await _api.Client().GetFromJsonAsync<JsonElement>($"/api/v1/messages/{id}");
        Assert.Equal("failed", status.GetProperty("status").GetString());
    }
}

/// <summary>With the status store unreachable nothing is queued: 503 with Retry-After.</summary>
public sealed class MessageStoreDownTests : IAsyncLifetime
{
    private readonly ApiApp _api = SendApiApp.Create(new Dictionary<string, string?>
    {
        ["ConnectionStrings:Redis"] = $"127.0.0.1:{TestServers.FreePort()},abortConnect=false,connectTimeout=200,syncTimeout=500,asyncTimeout=500",
    });

    public Task InitializeAsync() => Task.CompletedTask;
    public Task DisposeAsync() => _api.DisposeAsync().AsTask();

    [Fact]
    public async Task A_send_is_503_and_publishes_nothing()
    {
        var response = await _api.Client().PostMessage(SendApiApp.CustomerTask()).WaitAsync(TimeSpan.FromSeconds(30));

        await ApiKeyTests.AssertProblem(response, 503);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal(0, _api.Events.Count);
    }
}

/// <summary>Concurrent requests with one Idempotency-Key against real Redis: one message id.</summary>
public sealed class MessageIdempotencyRedisTests : IAsyncLifetime
{
    private readonly ApiApp _api = SendApiApp.Create(BridgeApp.WithServers(redis: TestServers.Redis));

    public Task InitializeAsync() => Task.CompletedTask;
    public Task DisposeAsync() => _api.DisposeAsync().AsTask();

    [Fact]
    public async Task Concurrent_requests_with_the_same_key_get_one_message_id()
    {
        var key = "concurrent-" + Guid.NewGuid().ToString("N");
        var clients = Enumerable.Range(0, 32).Select(_ => _api.Client()).ToList();

        var responses = await Task.WhenAll(clients.Select(c => c.PostMessage(SendApiApp.CustomerTask(), key)));

        var ids = await Task.WhenAll(responses.Select(SendApiApp.AcceptedId));
        Assert.Single(ids.Distinct());
        Assert.All(_api.Events.EventIds, id => Assert.Equal(ids[0], id));
        Assert.Single(_api.Events.Of<SendRequested>()); // one command: the repeats leave it to the first request
        var status = await _api.Client().GetFromJsonAsync<JsonElement>($"/api/v1/messages/{ids[0]}");
        Assert.Equal("accepted", status.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await _api.Client().GetAsync($"/api/v1/messages/{ids[0]}")).StatusCode);
    }
}
