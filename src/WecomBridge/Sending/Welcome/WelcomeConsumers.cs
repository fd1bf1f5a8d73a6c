using MassTransit;
using Microsoft.Extensions.Options;
using WecomBridge.Contracts.Contacts;
using WecomBridge.Contracts.Sending;
using WecomBridge.WeCom;

namespace WecomBridge.Sending.Welcome;

/// <summary>A welcome asked for through the send API.</summary>
internal sealed class WelcomeRequestedConsumer(WelcomeWork work) : IConsumer<WelcomeRequested>
{
    public Task Consume(ConsumeContext<WelcomeRequested> context)
    {
        var m = context.Message;
        return work.RunAsync(m.MessageId, m.Corp, m.App, m.Welcome, m.RequestedAt, m.Deadline, context.CancellationToken);
    }
}

/// <summary>
/// A customer was just added with a welcome code: the app that received the event sends the welcome configured for
/// the contact way's State (or `default`). Message id `w` + the event id, so a redelivered event sends nothing twice.
/// </summary>
internal sealed class WelcomeOnContactAdded(WelcomeWork work, IOptionsMonitor<WeComOptions> wecom) : IConsumer<ExternalContactAdded>
{
    public Task Consume(ConsumeContext<ExternalContactAdded> context)
    {
        var e = context.Message;
        if (string.IsNullOrEmpty(e.WelcomeCode)) return Task.CompletedTask;
        if (!wecom.CurrentValue.Corps.TryGetValue(e.Corp, out var corp) || !corp.Apps.TryGetValue(e.App, out var app)) return Task.CompletedTask;
        if (!app.Welcome.TryGetValue(e.State ?? WelcomeOptions.DefaultState, out var welcome)
            && !app.Welcome.TryGetValue(WelcomeOptions.DefaultState, out welcome)) return Task.CompletedTask;
        var issued = e.OccurredAt < e.ReceivedAt ? e.OccurredAt : e.ReceivedAt; // CreateTime has whole seconds; clocks differ
        // Names as configured, so that the event's spelling of them shares the configured corp's buckets.
        var corpName = ConfiguredNames.Corp(wecom.CurrentValue, e.Corp);
        return work.RunAsync("w" + e.EventId, corpName, ConfiguredNames.App(wecom.CurrentValue, corpName, e.App),
            welcome.ToMessage(e.WelcomeCode), e.ReceivedAt, issued + WelcomeWork.Window, context.CancellationToken);
    }
}
