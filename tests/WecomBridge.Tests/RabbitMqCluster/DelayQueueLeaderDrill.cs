using WecomBridge.Sending.Status;
using WecomBridge.Tests.Infrastructure;
using Xunit.Abstractions;

namespace WecomBridge.Tests.RabbitMqCluster;

/// <summary>
/// Deferred sends wait in a quorum delay queue (TTL, dead-lettered at least once into the send queue) while the node
/// leading that queue, or the one leading the send queue as they come back into it, is SIGKILLed: a node that runs
/// takes over, and every send is made exactly once: a copy that at-least-once dead-lettering makes is absorbed by
/// the dispatcher's claim; none lost, none ambiguous, nothing left in the delay or _error queues.
/// </summary>
[Collection("rabbitmq-cluster")]
public class DelayQueueLeaderDrill(ITestOutputHelper output)
{
    private const int Count = 30;

    [Fact]
    public async Task Every_deferred_send_is_made_once_when_the_leader_of_its_delay_queue_is_killed_while_it_waits()
    {
        var ports = ClusterServers.Ports;
        // Each send's retry is due 30.4–45.6 s later: it waits in the 30 s tier first, long enough for a kill and an election.
        await using var drill = await DeferredSends.StartAsync(sendQueueNode: ports[1], delayQueueNode: ports[2], TimeSpan.FromSeconds(38));
        await drill.DeferAsync(Count);
        var leader = await DeferredSends.LeaderAsync(drill.DelayQueue);
        Task? restart = null;
        try
        {
            await DeferredSends.KillAsync(leader);
            var next = await DeferredSends.LeaderAsync(drill.DelayQueue, not: leader);
            // Every send still waits under the new leader (its count shows once the leader reports it), none back yet.
            var waiting = await Eventually.Get(() => DeferredSends.MessagesAsync(drill.DelayQueue), n => n == Count, TimeSpan.FromSeconds(20),
                "every send waiting under the new leader");
            var back = await drill.BackAsync();
            output.WriteLine($"{drill.DelayQueue} leader wb-{leader} killed (dispatcher on wb-{ports[0]}), new leader wb-{next}: "
                + $"{waiting} of {Count} sends waiting, {back} back before");
            Assert.Equal(0, back); // the TTL ends under the new leader
            Assert.Equal(Count, waiting);
            // The node comes back once the TTL ended under the new leader, while the sends are still on their way.
            await Eventually.True(async () => await drill.BackAsync() > 0, TimeSpan.FromSeconds(60), "a send back from the delay queue");
            restart = DeferredSends.RestartAsync(leader);

            await AssertEachSentOnceAsync(drill);
        }
        finally
        {
            await (restart ?? DeferredSends.RestartAsync(leader));
        }
    }

    [Fact]
    public async Task Every_deferred_send_is_made_once_when_the_send_queues_leader_is_killed_as_they_are_dead_lettered_into_it()
    {
        var ports = ClusterServers.Ports;
        // Each send's retry is due 10–15 s later: 5 s in the 5 s tier, 5 s more in it, then 1 s tiers until it is due, each
        // time dead-lettered back into the send queue; the kill at the first return falls among those dead-letterings.
        await using var drill = await DeferredSends.StartAsync(sendQueueNode: ports[1], delayQueueNode: ports[2], TimeSpan.FromSeconds(12.5));
        var leader = await DeferredSends.LeaderAsync(drill.SendQueue);
        await drill.DeferAsync(Count, inTier: false);
        await Eventually.True(async () => await drill.BackAsync() > 0, TimeSpan.FromSeconds(60), "a send back from the delay queue");
        Task? restart = null;
        try
        {
            var back = await drill.BackAsync();
            await DeferredSends.KillAsync(leader);
            var next = await DeferredSends.LeaderAsync(drill.SendQueue, not: leader);
            output.WriteLine($"{drill.SendQueue} leader wb-{leader} killed (dispatcher on wb-{ports[0]}) when {back} of {Count} sends were back "
                + $"from the {drill.Tier} s tier; new leader wb-{next}");
            restart = DeferredSends.RestartAsync(leader); // back while the sends are still dead-lettered and sent

            await AssertEachSentOnceAsync(drill);
        }
        finally
        {
            await (restart ?? DeferredSends.RestartAsync(leader));
        }
    }

    private async Task AssertEachSentOnceAsync(DeferredSends drill)
    {
        var statuses = new List<SendStatus>();
        foreach (var send in drill.Requests) statuses.Add(await drill.Dispatcher.FinishedAsync(send.MessageId, TimeSpan.FromSeconds(90)));
        var left = await Eventually.Get(drill.LeftAsync, l => l.Count == 0, TimeSpan.FromSeconds(45), "nothing left in the delay and _error queues");
        var sent = statuses.Where(s => s.State == SendStates.Sent).ToList();
        var calls = drill.Dispatcher.WeCom.Journal.Count(DeferredSends.MsgTemplate);
        output.WriteLine($"sends {Count}: {sent.Count} sent, {statuses.Count(s => s.State == SendStates.Ambiguous)} ambiguous, {calls} calls, "
            + $"{drill.Dispatcher.WeCom.Data.MsgTemplates.Count} tasks at WeCom, {drill.Copies} copies taken after the send; left: {left.Count}");
        Assert.Equal(Count, sent.Count);                       // none lost, none ambiguous
        Assert.Equal(Count, sent.Select(s => s.MsgId).Distinct().Count());
        Assert.Equal(2 * Count, calls);                        // each made once after its busy first call
        Assert.Equal(Count, drill.Dispatcher.WeCom.Data.MsgTemplates.Count);
    }
}
