using Microsoft.Extensions.DependencyInjection;
using WecomBridge.Contracts.Sending;
using WecomBridge.Fakes;
using WecomBridge.Messaging;
using WecomBridge.Sending.Status;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Sending.Dispatcher;

/// <summary>
/// A dispatcher (role Dispatcher) on the real Redis and RabbitMQ, calling a WeCom and an Official Account fake:
/// corp acme (app crm, agent 1000002, welcome "Hi, thanks for adding us" for any state) and account brand. Quiet
/// hours are off unless a test turns them on. Instances given the same prefix share their queues.
/// </summary>
public sealed class DispatcherApp : IAsyncDisposable
{
    private readonly bool _ownsFakes;

    public DispatcherApp(IReadOnlyDictionary<string, string?>? settings = null, string? prefix = null, WeComFake? wecom = null,
        OfficialAccountFake? oa = null, Action<IServiceCollection>? services = null)
    {
        _ownsFakes = wecom is null;
        WeCom = wecom ?? WeComFake.Start();
        OfficialAccount = oa ?? OfficialAccountFake.Start();
        Prefix = prefix ?? "test-" + Guid.NewGuid().ToString("N")[..8];
        var all = BridgeApp.WithServers();
        foreach (var (key, value) in Settings(WeCom.BaseUrl, OfficialAccount.BaseUrl, Prefix)) all[key] = value;
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;
        App = new BridgeApp(all) { TestServices = services };
    }

    public static Dictionary<string, string?> Settings(string wecomUrl, string oaUrl, string prefix) => new()
    {
        ["Bridge:Roles:0"] = "Dispatcher",
        ["Messaging:EndpointPrefix"] = prefix,
        ["Messaging:WaitUntilStarted"] = "true",
        ["WeCom:BaseUrl"] = wecomUrl,
        ["WeCom:Corps:acme:CorpId"] = "wwfakecorp0000001",
        ["WeCom:Corps:acme:ContactSecret"] = "contact-secret",
        ["WeCom:Corps:acme:Apps:crm:AgentId"] = "1000002",
        ["WeCom:Corps:acme:Apps:crm:Secret"] = "app-secret",
        ["WeCom:Corps:acme:Apps:crm:Token"] = "DemoToken123",
        ["WeCom:Corps:acme:Apps:crm:EncodingAesKey"] = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
        ["WeCom:Corps:acme:Apps:crm:Welcome:default:Text"] = "Hi, thanks for adding us",
        ["OfficialAccounts:BaseUrl"] = oaUrl,
        ["OfficialAccounts:Accounts:brand:AppId"] = "wxfakeofficialacc",
        ["OfficialAccounts:Accounts:brand:Secret"] = "oa-secret",
        ["OfficialAccounts:Accounts:brand:Token"] = "brandtoken",
        ["Dispatch:Defaults:QuietHours:Enabled"] = "false",
        // Every test's acme counts in the one shared Redis for the day: its sender's daily task limit and the customer
        // cap would run out across the suite. Tests of those limits use a corp of their own (OwnKeys).
        ["Dispatch:Corps:acme:SenderTasksPerDay"] = "1000",
        ["Dispatch:Corps:acme:CustomerCap:Limit"] = "1000",
        ["Dispatch:RetryBaseDelay"] = "00:00:00.500",
        ["Dispatch:RetryMaxDelay"] = "00:00:02",
        ["Dispatch:ThrottlePause"] = "00:00:01",
        ["Dispatch:Pauses:MaxPause"] = "00:00:04",
        ["Dispatch:Pauses:ProbeInterval"] = "00:00:02",
        ["ApiClients:RetryBaseDelay"] = "00:00:00.010",
        ["ApiClients:RetryMaxDelay"] = "00:00:00.050",
        ["ApiClients:AttemptTimeout"] = "00:00:03",
        ["ApiClients:TokenKeyPrefix"] = $"test:token:{Guid.NewGuid():N}:",
    };

    /// <summary>
    /// Settings of a corp and an account of the test's own (the same fake corp and account under new keys), for tests
    /// that write per-corp state to the shared Redis (suppression list, caps) that other tests must not see.
    /// </summary>
    public static Dictionary<string, string?> OwnKeys(out string corp, out string account)
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        (corp, account) = ("c" + id, "a" + id);
        return new()
        {
            [$"WeCom:Corps:{corp}:CorpId"] = "wwfakecorp0000001",
            [$"WeCom:Corps:{corp}:ContactSecret"] = "contact-secret",
            [$"OfficialAccounts:Accounts:{account}:AppId"] = "wxfakeofficialacc",
            [$"OfficialAccounts:Accounts:{account}:Secret"] = "oa-secret",
            [$"OfficialAccounts:Accounts:{account}:Token"] = "brandtoken",
        };
    }

    /// <summary>
    /// <see cref="OwnKeys"/> with acme's app crm under the new corp: welcomes and app messages that another test's pause
    /// of acme (kept in the shared Redis) must not hold back.
    /// </summary>
    public static Dictionary<string, string?> OwnApp(out string corp)
    {
        var settings = OwnKeys(out corp, out _);
        foreach (var (key, value) in Settings("", "", "").Where(s => s.Key.StartsWith("WeCom:Corps:acme:Apps:", StringComparison.Ordinal)))
            settings[$"WeCom:Corps:{corp}:" + key["WeCom:Corps:acme:".Length..]] = value;
        return settings;
    }

    /// <summary>
    /// <see cref="OwnKeys"/> for a stream of sends from one sender to one customer: the sender's daily task limit and
    /// the customer cap are lifted to 1,000, so that only the drill's fault decides what is sent.
    /// </summary>
    public static Dictionary<string, string?> StreamKeys(out string corp, out string account)
    {
        var settings = OwnKeys(out corp, out account);
        settings[$"Dispatch:Corps:{corp}:SenderTasksPerDay"] = "1000";
        settings[$"Dispatch:Corps:{corp}:CustomerCap:Limit"] = "1000";
        return settings;
    }

    public WeComFake WeCom { get; }
    public OfficialAccountFake OfficialAccount { get; }
    public BridgeApp App { get; }
    public string Prefix { get; }
    public IServiceProvider Services => App.Services;

    public Task PublishAsync(SendRequested send) =>
        Services.GetRequiredService<IMessagePublisher>().PublishAsync(typeof(SendRequested), send.MessageId, EventJson.Serialize(send), default);

    public Task PublishAsync<T>(T message, string id) where T : notnull =>
        Services.GetRequiredService<IMessagePublisher>().PublishAsync(typeof(T), id, EventJson.Serialize(message), default);

    public Task<SendStatus?> StatusAsync(string messageId) => Services.GetRequiredService<ISendStatusStore>().GetAsync(messageId);

    public Task<SendStatus> FinishedAsync(string messageId, TimeSpan? within = null) =>
        WithLogs(Eventually.Get(async () => (await StatusAsync(messageId))!, s => s is { IsFinished: true }, within ?? TimeSpan.FromSeconds(30), $"send {messageId} finished"));

    public Task<SendStatus> StateAsync(string messageId, string state, TimeSpan? within = null) =>
        WithLogs(Eventually.Get(async () => (await StatusAsync(messageId))!, s => s?.State == state, within ?? TimeSpan.FromSeconds(30), $"send {messageId} {state}"));

    /// <summary>A wait that timed out says what the dispatcher logged at warning level and above.</summary>
    private async Task<T> WithLogs<T>(Task<T> wait)
    {
        try
        {
            return await wait;
        }
        catch (TimeoutException e)
        {
            var warnings = App.Logs.Lines.Where(l => l.Contains("Warning") || l.Contains("Error") || l.Contains("Critical")).TakeLast(20);
            throw new TimeoutException(e.Message + "\nlogged:\n" + string.Join('\n', warnings), e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        if (!_ownsFakes) return;
        WeCom.Dispose();
        OfficialAccount.Dispose();
    }
}

/// <summary>Commands as the send API builds them.</summary>
public static class Sends
{
    public static string NewId() => Guid.CreateVersion7().ToString("N");

    public static SendRequested CustomerTask(string? sender, params string[] customers) => new(NewId(), SendKinds.CustomerTask, "acme", null, null,
        DateTimeOffset.UtcNow, CustomerTask: new CustomerTask(sender, customers, null, null, "Spring sale", null));

    public static SendRequested GroupTask(string sender, params string[] chats) => new(NewId(), SendKinds.GroupTask, "acme", null, null,
        DateTimeOffset.UtcNow, GroupTask: new GroupTask(sender, chats, "Hello group", [new SendAttachment("link", Title: "Sale", Url: "https://example.com/sale")]));

    public static SendRequested MomentTask() => new(NewId(), SendKinds.MomentTask, "acme", null, null, DateTimeOffset.UtcNow,
        MomentTask: new MomentTask("New arrivals", null, ["zhangsan"], null, ["etTagVip"]));

    public static SendRequested EmployeeMessage(params string[] users) => new(NewId(), SendKinds.EmployeeMessage, "acme", "crm", null,
        DateTimeOffset.UtcNow, EmployeeMessage: new EmployeeMessage(users, null, null, false, "text", "Please call Alice", false, null));

    public static SendRequested Template(string openId = "oAlice") => new(NewId(), SendKinds.Template, null, null, "brand", DateTimeOffset.UtcNow,
        Template: new TemplateMessage(openId, "TPL_ORDER_SHIPPED", new Dictionary<string, string> { ["thing1"] = "Order 42" }, "https://example.com/o/42", null, null));

    public static SendRequested CustomerService(string openId = "oAlice") => new(NewId(), SendKinds.CustomerService, null, null, "brand",
        DateTimeOffset.UtcNow, CustomerService: new CustomerServiceMessage(openId, "text", "Your parcel is on its way", null, null));
}
