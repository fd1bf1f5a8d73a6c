using WecomBridge.Fakes;
using WecomBridge.WeCom.Models;

namespace WecomBridge.Tests.WeCom;

public sealed class WeComMomentsClientTests : IDisposable
{
    private readonly WeComFake _fake = WeComFake.Start();
    private readonly ApiHost _app;

    public WeComMomentsClientTests() => _app = ApiHost.Start(_fake.BaseUrl);

    [Fact]
    public async Task A_moment_task_is_created_and_its_result_read()
    {
        var jobId = await _app.WeCom.AddMomentTaskAsync(ApiHost.Contact, new MomentTaskRequest(
            new TextContent("New collection"), VisibleRange: new MomentVisibleRange(new MomentSenders(["zhangsan", "ghost"]))));

        var result = await _app.WeCom.GetMomentTaskResultAsync(ApiHost.Contact, jobId);

        Assert.Equal(3, result.Status);
        Assert.False(string.IsNullOrEmpty(result.Result!.MomentId));
        Assert.Equal(["ghost"], result.Result.InvalidSenderList!.UserList);
    }

    [Fact]
    public async Task The_moment_list_follows_the_cursor()
    {
        await _app.WeCom.AddMomentTaskAsync(ApiHost.Contact, new MomentTaskRequest(new TextContent("one")));
        await _app.WeCom.AddMomentTaskAsync(ApiHost.Contact, new MomentTaskRequest(new TextContent("two")));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var moments = await _app.WeCom.GetMomentListAsync(ApiHost.Contact,
            new MomentListRequest(now - 86_400, now + 60, Creator: null, FilterType: null, Cursor: null, Limit: 1)).ToListAsync();

        Assert.Equal(["one", "two"], moments.Select(m => m.Text!.Content));
        Assert.Equal(2, _fake.Journal.Count("/cgi-bin/externalcontact/get_moment_list"));
    }

    public void Dispose()
    {
        _app.Dispose();
        _fake.Dispose();
    }
}
