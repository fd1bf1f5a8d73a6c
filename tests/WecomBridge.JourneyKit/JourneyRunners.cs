using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using WecomBridge.Api;
using WecomBridge.Journeys;
using WecomBridge.Journeys.Runtime;
using WecomBridge.Journeys.Views;
using WecomBridge.Messaging;
using WecomBridge.OfficialAccount;
using WecomBridge.Pool;
using WecomBridge.Sending.Api;
using WecomBridge.Sending.Dispatcher;
using WecomBridge.Sending.Limits;
using WecomBridge.Sending.Status;
using WecomBridge.Sending.Suppression;
using WecomBridge.WeCom;

namespace WecomBridge.JourneyKit;

/// <summary>
/// Journey runners built as a dispatcher builds its one, on the stores given (the journey store, the definitions, the
/// pool, the suppression list and the send status) for the corp <paramref name="corp"/> (its WeCom settings
/// <paramref name="wecom"/>; default: the corp alone, with no apps). Each runner is its own lease owner and gets its
/// own send path on the publisher and clock it is given, so that one can be stopped dead alone.
/// </summary>
internal sealed class JourneyRunners(
    string corp, JourneyRuntimeOptions options, IJourneyStore store, IJourneyDefinitionStore definitions, IPoolStore pool,
    ISuppressionList suppression, ISendStatusStore status, WeComOptions? wecom = null)
{
    /// <summary>Tag and untag steps would resolve WeCom's client here; the one-step journey only sends tasks.</summary>
    private static readonly IServiceProvider NoServices = new ServiceCollection().BuildServiceProvider();

    private readonly WeComOptions _wecom = wecom ?? new WeComOptions { Corps = { [corp] = new CorpOptions { CorpId = "ww" + corp } } };

    /// <summary>A runner publishing on <paramref name="publisher"/>, on <paramref name="clock"/>, counted in <paramref name="metrics"/>.</summary>
    public JourneyRunner Create(IMessagePublisher publisher, TimeProvider clock, JourneyMetrics? metrics = null)
    {
        var policies = new StaticMonitor<SendPolicyOptions>(new SendPolicyOptions());
        var actions = new JourneyActions(Sender(publisher, clock), NoServices, policies);
        var monitor = new StaticMonitor<JourneyRuntimeOptions>(options);
        var steps = new JourneyStepRunner(store, definitions, pool, suppression, actions, monitor, policies, clock,
            NullLogger<JourneyStepRunner>.Instance, metrics);
        return new JourneyRunner(store, steps, monitor, clock, NullLogger<JourneyRunner>.Instance);
    }

    /// <summary>The send path a runner's steps take: the send API's queue into the dispatchers, on the send status given.</summary>
    public JourneySender Sender(IMessagePublisher publisher, TimeProvider clock)
    {
        var queue = new SendQueue(publisher, status, new StaticMonitor<SendApiOptions>(new SendApiOptions()), clock,
            NullLogger<SendQueue>.Instance);
        return new JourneySender(status, queue, new StaticMonitor<WeComOptions>(_wecom),
            new StaticMonitor<OfficialAccountOptions>(new OfficialAccountOptions()), new StaticMonitor<DispatchOptions>(new DispatchOptions()), clock);
    }

    /// <summary>Runs the runner's claims until none comes back.</summary>
    public static async Task DrainAsync(JourneyRunner runner)
    {
        while (await runner.RunOnceAsync(CancellationToken.None) > 0) { }
    }
}
