using System.Net;
using System.Text;
using WecomBridge.Tests.Callbacks.Gateway;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Messaging;

/// <summary>
/// A fresh broker where no consumer has bound yet (its own, and Enrichment off so that the app binds nothing to the
/// event's exchange): a callback is answered 200 only once its event is kept in the catch-all queue.
/// </summary>
[Collection("drills")]
public class UnroutedCallbackTests
{
    [Fact]
    public async Task A_callback_whose_event_no_consumer_reads_yet_is_answered_once_kept_in_the_catch_all_queue()
    {
        await using var rabbit = await DisposableRabbitMq.StartAsync();
        var prefix = "fresh-" + Guid.NewGuid().ToString("N")[..8];
        var host = new Host(rabbit.Uri, prefix);
        await host.InitializeAsync();
        try
        {
            var customer = GatewayHost.NewId();

            var response = await host.PostWeComAsync(GatewayHost.Added(customer));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await using var broker = await Broker.OpenAsync(rabbit.Uri);
            var kept = Assert.Single(await broker.DrainAsync(prefix + ".unrouted")); // confirmed there before the answer
            Assert.Equal("wecombridge.external-contact-added", kept.RoutingKey);
            Assert.Equal("ExternalContactAdded", kept.BasicProperties.Type);
            Assert.Contains(customer, Encoding.UTF8.GetString(kept.Body.Span));
            Assert.DoesNotContain("spooled", host.Bridge.Logs.All);
            Assert.Contains("reach no queue", host.Bridge.Logs.All);
            Assert.DoesNotContain(customer, host.Bridge.Logs.All);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    private sealed class Host(string broker, string prefix) : GatewayHost(settings =>
    {
        settings["ConnectionStrings:RabbitMq"] = broker;
        settings["Messaging:EndpointPrefix"] = prefix;
        settings["Enrichment:Enabled"] = "false";
    });
}
