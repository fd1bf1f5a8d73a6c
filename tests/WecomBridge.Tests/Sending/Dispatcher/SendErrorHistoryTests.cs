using System.Net.Http.Headers;
using System.Text.Json;
using WecomBridge.Sending.Status;
using WecomBridge.Tests.Api;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Sending.Dispatcher;

/// <summary>
/// Sends the dispatcher finishes as failed (an errcode from the fake) or ambiguous (a 502 after the request left) join
/// the error history, and the console's routes show them: the errcode with its advice, the ambiguous send with its first call.
/// </summary>
public sealed class SendErrorHistoryTests
{
    private const string MsgTemplate = "/cgi-bin/externalcontact/add_msg_template";
    private const string Key = "history-key-0123456789";

    [Fact]
    public async Task A_refused_send_and_an_ambiguous_one_show_up_in_the_error_history()
    {
        var settings = DispatcherApp.OwnKeys(out var corp, out _);
        settings["SendApi:ApiKeys:0:Name"] = "ops";
        settings["SendApi:ApiKeys:0:KeyHash"] = ApiApp.Hash(Key);
        settings["SendApi:ApiKeys:0:Corps:0"] = corp;
        await using var app = new DispatcherApp(settings);
        var http = app.App.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);

        app.WeCom.Faults.ErrCode(40096, MsgTemplate, times: 1);
        var refused = Sends.CustomerTask("zhangsan", "wmAlice") with { Corp = corp };
        await app.PublishAsync(refused);
        Assert.Equal((SendStates.Failed, 40096), ((await app.FinishedAsync(refused.MessageId)).State, (await app.StatusAsync(refused.MessageId))!.ErrCode));
        app.WeCom.Faults.HttpStatus(502, MsgTemplate, times: 1);
        var unknown = Sends.CustomerTask("zhangsan", "wmBob") with { Corp = corp };
        await app.PublishAsync(unknown);
        Assert.Equal(SendStates.Ambiguous, (await app.FinishedAsync(unknown.MessageId)).State);

        // Recorded right after the status, before the result event: it may lag the status by a moment.
        var errors = await Eventually.Get(async () => JsonDocument.Parse(await http.GetStringAsync($"/api/v1/dispatch/errors?corp={corp}"))
            .RootElement.GetProperty("errors").EnumerateArray().ToList(), rows => rows.Count == 2, TimeSpan.FromSeconds(10), "both in the history");
        var failed = errors.Single(r => r.GetProperty("state").GetString() == SendStates.Failed);
        Assert.Equal((40096, 1), (failed.GetProperty("errCode").GetInt32(), failed.GetProperty("count").GetInt32()));
        Assert.Contains("external userid", failed.GetProperty("advice").GetString());
        var latest = failed.GetProperty("recent")[0];
        Assert.Equal(refused.MessageId, latest.GetProperty("messageId").GetString());
        Assert.Contains("errcode 40096", latest.GetProperty("reason").GetString());
        Assert.DoesNotContain("wmAlice", failed.ToString()); // ids of the send and reasons only, never recipients or content
        Assert.DoesNotContain("Spring sale", failed.ToString());

        var ambiguous = JsonDocument.Parse(await http.GetStringAsync("/api/v1/dispatch/ambiguous")).RootElement.GetProperty("sends")
            .EnumerateArray().Single();
        Assert.Equal((unknown.MessageId, "customer-task", corp), (ambiguous.GetProperty("messageId").GetString(),
            ambiguous.GetProperty("kind").GetString(), ambiguous.GetProperty("corp").GetString()));
        Assert.Contains("may have reached WeCom", ambiguous.GetProperty("reason").GetString());
        Assert.True(ambiguous.GetProperty("firstCallAt").GetDateTimeOffset() <= ambiguous.GetProperty("at").GetDateTimeOffset());
    }
}
