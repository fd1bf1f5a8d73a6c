using WecomBridge.Messaging;

namespace WecomBridge.Tests.Messaging;

/// <summary>
/// The publisher's batches: a publish goes at once when none awaits its confirm, else it waits for the batch in
/// flight to end and goes with the others that waited; a confirm that never comes holds nobody past the bound.
/// </summary>
public class ConfirmBatchesTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public void A_publish_goes_at_once_when_none_is_in_flight()
    {
        var batches = new ConfirmBatches();
        Assert.True(batches.EnterAsync().IsCompletedSuccessfully);
        Assert.Equal(1, batches.InFlight);
        batches.Leave();
        Assert.True(batches.EnterAsync().IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Publishes_that_come_while_one_is_in_flight_go_together_when_it_is_confirmed()
    {
        var batches = new ConfirmBatches(TimeSpan.FromMinutes(5));
        await batches.EnterAsync();
        var second = batches.EnterAsync();
        var third = batches.EnterAsync();
        Assert.False(second.IsCompleted);
        Assert.False(third.IsCompleted);
        Assert.Equal(2, batches.Waiting);

        batches.Leave();
        await Task.WhenAll(second, third).WaitAsync(Bound);
        Assert.Equal(2, batches.InFlight);
        Assert.Equal(0, batches.Waiting);
    }

    [Fact]
    public async Task The_next_batch_waits_for_every_publish_of_the_batch_in_flight()
    {
        var batches = new ConfirmBatches(TimeSpan.FromMinutes(5));
        await batches.EnterAsync();
        var b1 = batches.EnterAsync();
        var b2 = batches.EnterAsync();
        batches.Leave();
        await Task.WhenAll(b1, b2).WaitAsync(Bound);

        var next = batches.EnterAsync();
        batches.Leave(); // one of two confirmed
        Assert.False(next.IsCompleted);
        batches.Leave();
        await next.WaitAsync(Bound);
        Assert.Equal(1, batches.InFlight);
        batches.Leave();
        Assert.Equal(0, batches.InFlight);
    }

    [Fact]
    public async Task A_confirm_that_never_comes_holds_the_others_no_longer_than_the_bound()
    {
        var batches = new ConfirmBatches(TimeSpan.FromMilliseconds(50));
        await batches.EnterAsync(); // never left: its confirm does not come
        var waiting = batches.EnterAsync();
        await waiting.WaitAsync(Bound); // goes on its own after 50 ms
        Assert.Equal(2, batches.InFlight);
        Assert.Equal(0, batches.Waiting);

        batches.Leave();
        batches.Leave();
        Assert.Equal(0, batches.InFlight);
        Assert.True(batches.EnterAsync().IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_failed_publish_ends_its_batch_like_a_confirmed_one()
    {
        var batches = new ConfirmBatches(TimeSpan.FromMinutes(5));
        var publish = async (bool fail) =>
        {
            await batches.EnterAsync();
            try
            {
                await Task.Yield();
                if (fail) throw new InvalidOperationException("nack");
            }
            finally
            {
                batches.Leave();
            }
        };
        var all = Enumerable.Range(0, 50).Select(i => publish(i % 3 == 0)).ToArray();
        var finished = await Task.WhenAll(all.Select(t => t.ContinueWith(_ => 0))).WaitAsync(Bound);
        Assert.Equal(50, finished.Length);
        Assert.Equal(17, all.Count(t => t.IsFaulted));
        Assert.Equal(0, batches.InFlight);
        Assert.Equal(0, batches.Waiting);
    }

    [Theory]
    [InlineData(100_000)] // waiters released by the batch
    [InlineData(1)]       // and waiters timing out at the same moment as the release
    public async Task Many_concurrent_publishers_all_get_through_and_leave_nothing_counted(int maxWaitMs)
    {
        var batches = new ConfirmBatches(TimeSpan.FromMilliseconds(maxWaitMs));
        var concurrentMax = 0;
        var concurrent = 0;
        var workers = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 2_000; i++)
            {
                await batches.EnterAsync();
                var now = Interlocked.Increment(ref concurrent);
                InterlockedMax(ref concurrentMax, now);
                await Task.Yield();
                Interlocked.Decrement(ref concurrent);
                batches.Leave();
            }
        })).ToArray();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, batches.InFlight);
        Assert.Equal(0, batches.Waiting);
        Assert.InRange(concurrentMax, 1, 16);
        Assert.True(batches.EnterAsync().IsCompletedSuccessfully);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (var seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
            if (Interlocked.CompareExchange(ref target, value, seen) == seen) return;
    }
}
