using WecomBridge.Messaging;

namespace WecomBridge.Tests.Messaging;

/// <summary>
/// A send's work is not cut when MassTransit cancels its consume because the broker's connection closed (its WeCom call
/// would end with an unknown outcome); it is when the consume is cancelled while the host stops.
/// </summary>
public class ConsumeCancellationTests
{
    [Fact]
    public async Task A_consume_cancelled_by_the_loss_of_the_broker_leaves_the_work_running()
    {
        using var consume = new CancellationTokenSource();
        using var stopping = new CancellationTokenSource();
        using var cancellation = new ConsumeCancellation(consume.Token, stopping.Token);

        await consume.CancelAsync();

        Assert.False(cancellation.Token.IsCancellationRequested);
        await stopping.CancelAsync(); // the host stopping afterwards leaves the work to end by its own timeouts
        Assert.False(cancellation.Token.IsCancellationRequested);
    }

    [Fact]
    public async Task A_consume_cancelled_while_the_host_stops_cancels_the_work()
    {
        using var consume = new CancellationTokenSource();
        using var stopping = new CancellationTokenSource();
        using var cancellation = new ConsumeCancellation(consume.Token, stopping.Token);

        await stopping.CancelAsync();
        Assert.False(cancellation.Token.IsCancellationRequested); // the bus may still let its consumers finish
        await consume.CancelAsync();

        Assert.True(cancellation.Token.IsCancellationRequested);
    }

    [Fact]
    public void A_consume_cancelled_already_while_the_host_stops_gives_a_cancelled_token()
    {
        using var consume = new CancellationTokenSource();
        using var stopping = new CancellationTokenSource();
        consume.Cancel();
        stopping.Cancel();

        using var cancellation = new ConsumeCancellation(consume.Token, stopping.Token);

        Assert.True(cancellation.Token.IsCancellationRequested);
    }

    [Fact]
    public async Task A_cancellation_after_disposal_is_ignored()
    {
        using var consume = new CancellationTokenSource();
        using var stopping = new CancellationTokenSource();
        await stopping.CancelAsync();
        new ConsumeCancellation(consume.Token, stopping.Token).Dispose();

        await consume.CancelAsync(); // no ObjectDisposedException from the disposed source
    }
}
