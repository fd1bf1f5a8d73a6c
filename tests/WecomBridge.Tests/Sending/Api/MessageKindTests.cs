using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WecomBridge.Contracts.Sending;
using WecomBridge.Tests.Api;

namespace WecomBridge.Tests.Sending.Api;

/// <summary>Each kind is accepted (202 + Location), its status stored and its command published with the request's fields.</summary>
public sealed class MessageKindTests : IAsyncLifetime
{
    private readonly ApiApp _api = SendApiApp.Create();

    public Task InitializeAsync() => Task.CompletedTask;
    public Task DisposeAsync() => _api.DisposeAsync().AsTask();

    [Fact]
    public async Task A_customer_task_is_queued_as_SendRequested_and_its_status_reads_back()
    {
        var response = await _api.Client().PostMessage(new
        {
            kind = "customer-task", corp = "acme",
            customerTask = new
            {
                externalUserIds = new[] { "wmCustomer1" }, tagFilter = new[] { new[] { "etVip", "etGold" }, new[] { "etShanghai" } },
                allowSelect = true, text = "春季优惠",
                attachments = new object[]
                {
                    new { type = "link", title = "Offer", url = "https://shop.example/spring", description = "Until May" },
                    new { type = "image", picUrl = "https://shop.example/a.png" },
                    new { type = "miniprogram", title = "Shop", mediaId = "MEDIA_1", appId = "wx0123456789abcdef", page = "pages/index?x=1" },
                },
            },
        });

        var id = await SendApiApp.AcceptedId(response);
        Assert.Matches("^[0-9a-f]{32}$", id);
        var command = Assert.Single(_api.Events.Of<SendRequested>());
        Assert.Equal(id, Assert.Single(_api.Events.EventIds));
        Assert.Equal(id, command.GetProperty("messageId").GetString());
        Assert.Equal("customer-task", command.GetProperty("kind").GetString());
        Assert.Equal("acme", command.GetProperty("corp").GetString());
        var task = command.GetProperty("customerTask");
        Assert.Equal("wmCustomer1", task.GetProperty("externalUserIds")[0].GetString());
        Assert.Equal("etShanghai", task.GetProperty("tagFilter")[1][0].GetString());
        Assert.Equal("春季优惠", task.GetProperty("text").GetString());
        Assert.Equal("pages/index?x=1", task.GetProperty("attachments")[2].GetProperty("page").GetString());

        var status = await _api.Client().GetFromJsonAsync<JsonElement>($"/api/v1/messages/{id}");
        Assert.Equal("accepted", status.GetProperty("status").GetString());
        Assert.Equal("customer-task", status.GetProperty("kind").GetString());
        Assert.Equal(0, status.GetProperty("attempts").GetInt32());
        Assert.Equal(0, status.GetProperty("failedRecipients").GetArrayLength());
    }

    [Fact]
    public async Task A_welcome_is_queued_as_WelcomeRequested_with_a_deadline_20_seconds_on()
    {
        var id = await SendApiApp.AcceptedId(await _api.Client().PostMessage(new
        {
            kind = "welcome", corp = "acme", app = "contact",
            welcome = new { welcomeCode = "CALLBACK_CODE_1", text = "Welcome", attachments = new[] { new { type = "file", mediaId = "MEDIA_F" } } },
        }));

        var command = Assert.Single(_api.Events.Of<WelcomeRequested>());
        Assert.Empty(_api.Events.Of<SendRequested>());
        Assert.Equal(id, command.GetProperty("messageId").GetString());
        Assert.Equal("contact", command.GetProperty("app").GetString());
        Assert.Equal(TimeSpan.FromSeconds(20), command.GetProperty("deadline").GetDateTimeOffset() - command.GetProperty("requestedAt").GetDateTimeOffset());
        Assert.Equal("CALLBACK_CODE_1", command.GetProperty("welcome").GetProperty("welcomeCode").GetString());
    }

    public static TheoryData<string, string, string> OtherKinds => new()
    {
        { """{"kind":"group-task","corp":"acme","groupTask":{"sender":"zhangsan","chatIds":["wrChat1"],"text":"Hi"}}""", "groupTask", "sender" },
        { """{"kind":"moment-task","corp":"acme","momentTask":{"text":"New season","attachments":[{"type":"video","mediaId":"MEDIA_V"}],"senderDepartmentIds":[2],"customerTagIds":["etVip"]}}""", "momentTask", "text" },
        { """{"kind":"employee-message","corp":"acme","app":"crm","employeeMessage":{"toUsers":["zhangsan","lisi"],"toParties":[3],"content":"Stand-up at 10","duplicateCheckSeconds":600}}""", "employeeMessage", "content" },
        { """{"kind":"template","account":"brand","template":{"openId":"oFollower1","templateId":"tplShipped_01","data":{"thing1":"Order 42","time2":"2026-11-23"},"miniprogramAppId":"wx0123456789abcdef","miniprogramPage":"pages/order"}}""", "template", "openId" },
        { """{"kind":"customer-service","account":"brand","customerService":{"openId":"oFollower1","msgType":"image","mediaId":"MEDIA_I","kfAccount":"kf2001@brand"}}""", "customerService", "mediaId" },
    };

    [Theory]
    [MemberData(nameof(OtherKinds))]
    public async Task Every_other_kind_is_queued_with_its_part(string json, string part, string field)
    {
        var id = await SendApiApp.AcceptedId(await _api.Client().PostJson(json));

        var command = Assert.Single(_api.Events.Of<SendRequested>());
        Assert.Equal(id, command.GetProperty("messageId").GetString());
        var sent = JsonDocument.Parse(json).RootElement;
        Assert.Equal(sent.GetProperty("kind").GetString(), command.GetProperty("kind").GetString());
        Assert.Equal(sent.GetProperty(part).GetProperty(field).ToString(), command.GetProperty(part).GetProperty(field).ToString());
        var status = await _api.Client().GetFromJsonAsync<JsonElement>($"/api/v1/messages/{id}");
        Assert.Equal(sent.GetProperty("kind").GetString(), status.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task The_employee_message_defaults_are_text_not_safe_and_not_to_all()
    {
        await SendApiApp.AcceptedId(await _api.Client().PostJson(
            """{"kind":"employee-message","corp":"acme","app":"crm","employeeMessage":{"toTags":[7],"content":"Hi"}}"""));

        var message = Assert.Single(_api.Events.Of<SendRequested>()).GetProperty("employeeMessage");
        Assert.Equal("text", message.GetProperty("msgType").GetString());
        Assert.False(message.GetProperty("safe").GetBoolean());
        Assert.False(message.GetProperty("toAll").GetBoolean());
        Assert.Equal(7, message.GetProperty("toTags")[0].GetInt64());
    }

    [Fact]
    public async Task Logs_carry_the_message_id_but_never_recipients_or_text()
    {
        var id = await SendApiApp.AcceptedId(await _api.Client().PostMessage(SendApiApp.CustomerTask(
            new { externalUserIds = new[] { "wmPrivateCustomer7" }, text = "Dear Ms Wang, 13800000000" })));

        var logs = _api.App.Logs.All;
        Assert.Contains(id, logs);
        Assert.DoesNotContain("wmPrivateCustomer7", logs);
        Assert.DoesNotContain("13800000000", logs);
    }

    [Fact]
    public async Task Without_a_key_it_is_401_and_nothing_is_published()
    {
        var response = await _api.Client(key: null).PostMessage(SendApiApp.CustomerTask());
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _api.Client(key: null).GetAsync("/api/v1/messages/0123")).StatusCode);
        Assert.Equal(0, _api.Events.Count);
    }

    [Theory]
    [InlineData("""{"kind":"customer-task","corp":"beta","customerTask":{"sender":"zhangsan","text":"Hi"}}""")]
    [InlineData("""{"kind":"customer-task","corp":"nowhere","customerTask":{"sender":"zhangsan","text":"Hi"}}""")]
    [InlineData("""{"kind":"template","account":"news","template":{"openId":"o1","templateId":"t1","data":{"a":"b"}}}""")]
    [InlineData("""{"kind":"customer-task","corp":"beta"}""")]
    public async Task A_corp_or_account_outside_the_keys_scope_is_403_and_nothing_is_published(string json)
    {
        var response = await _api.Client().PostJson(json);

        await ApiKeyTests.AssertProblem(response, 403);
        Assert.Equal(0, _api.Events.Count);
    }

    [Fact]
    public async Task Reading_a_message_of_another_keys_corp_is_403_and_unknown_or_malformed_ids_are_404()
    {
        var id = await SendApiApp.AcceptedId(await _api.Client().PostMessage(SendApiApp.CustomerTask()));

        await ApiKeyTests.AssertProblem(await _api.Client(ApiApp.OtherKey).GetAsync($"/api/v1/messages/{id}"), 403);
        await ApiKeyTests.AssertProblem(await _api.Client().GetAsync($"/api/v1/messages/{Guid.CreateVersion7():N}"), 404);
        await ApiKeyTests.AssertProblem(await _api.Client().GetAsync("/api/v1/messages/not%20an%20id"), 404);
        await ApiKeyTests.AssertProblem(await _api.Client().GetAsync($"/api/v1/messages/{new string('a', 300)}"), 404);
    }
}
