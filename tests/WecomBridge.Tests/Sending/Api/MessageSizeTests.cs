using System.Text;
using WecomBridge.Tests.Api;

namespace WecomBridge.Tests.Sending.Api;

/// <summary>
/// The send API's body limit is its own: a large audience is accepted. Apart from <see cref="MessageValidationTests"/>,
/// whose shared app must never publish anything.
/// </summary>
public sealed class MessageSizeTests : IAsyncLifetime
{
    private readonly ApiApp _api = SendApiApp.Create();

    public Task InitializeAsync() => Task.CompletedTask;
    public Task DisposeAsync() => _api.DisposeAsync().AsTask();

    [Fact]
    public async Task A_customer_task_with_10000_ids_is_accepted_although_it_is_over_the_256_KiB_of_other_endpoints()
    {
        var json = MessageValidationTests.Customer($$"""{"externalUserIds":{{MessageValidationTests.Ids(10_000)}},"text":"x"}""");
        Assert.True(Encoding.UTF8.GetByteCount(json) > 256 * 1024);

        await SendApiApp.AcceptedId(await _api.Client().PostJson(json));
        Assert.Equal(10_000, Assert.Single(_api.Events.Of<Contracts.Sending.SendRequested>()).GetProperty("customerTask").GetProperty("externalUserIds").GetArrayLength());
    }
}
