using MassTransit;
using Microsoft.Extensions.Options;
using WecomBridge.Contracts.Contacts;
using WecomBridge.Contracts.Sending;
using WecomBridge.Messaging;
using WecomBridge.WeCom;

namespace WecomBridge.Sending.Welcome;

/// <summary>A welcome asked for through the send API.</summary>
internal sealed class WelcomeRequestedConsumer(WelcomeWork work, IHostApplicationLifetime lifetime) : IConsumer<WelcomeRequested>
{
    public async Task Consume(ConsumeContext<WelcomeRequested> context)
    {
        var m = context.Message;
        using var cancellation = new ConsumeCancellation(context.CancellationToken, lifetime.ApplicationStopping); // as a send's
        await work.RunAsync(m.MessageId, m.Corp, m.App, m.Welcome, m.RequestedAt, m.Deadline, cancellation.Token);
    }
}

/// <summary>
/// A customer was just added with a welcome code: the app that received the event sends the welcome configured for
/// the contact way's State (or `default`). Message id `w` + the event id, so a redelivered event sends nothing twice.
/// </summary>
internal sealed class WelcomeOnContactAdded(WelcomeWork work, IOptionsMonitor<WeComOptions> wecom, IHostApplicationLifetime lifetime)
    : IConsumer<ExternalContactAdded>
{
    public async Task Consume(ConsumeContext<ExternalContactAdded> context)
    {
        var e = context.Message;
        if (string.IsNullOrEmpty(e.WelcomeCode)) return;
        if (!wecom.CurrentValue.Corps.TryGetValue(e.Corp, out var corp) || !corp.Apps.TryGetValue(e.App, out var app)) return;
        if (!app.Welcome.TryGetValue(e.State ?? WelcomeOptions.DefaultState, out var welcome)
            && !app.Welcome.TryGetValue(WelcomeOptions.DefaultState, out welcome)) return;
        var issued = e.OccurredAt < e.ReceivedAt ? e.OccurredAt : e.ReceivedAt; // CreateTime has whole seconds; clocks differ
        // Names as configured, so that the event's spelling of them shares the configured corp's buckets.
        var corpName = ConfiguredNames.Corp(wecom.CurrentValue, e.Corp);
        using var cancellation = new ConsumeCancellation(context.CancellationToken, lifetime.ApplicationStopping); // as a send's
        await work.RunAsync("w" + e.EventId, corpName, ConfiguredNames.App(wecom.CurrentValue, corpName, e.App),
            welcome.ToMessage(e.WelcomeCode), e.ReceivedAt, issued + WelcomeWork.Window, cancellation.Token);
    }
}
