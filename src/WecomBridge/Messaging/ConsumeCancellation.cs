namespace WecomBridge.Messaging;

/// <summary>
/// The cancellation of a consumer's work that must run to its end once begun (a send's WeCom call). MassTransit cancels a
/// consume when the channel it came on closes, e.g. when the RabbitMQ node it is connected to is lost; a call cut then has
/// an unknown outcome (the send is ambiguous) although it went through. Under this token the work goes on instead: it
/// records its outcome (its own timeouts bound it), its ack fails, and the redelivered command finds the send finished.
/// A cancellation of the consume while the host stops still cancels it.
/// </summary>
internal sealed class ConsumeCancellation : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly CancellationTokenRegistration _registration;

    /// <param name="consume">The consume's token (ConsumeContext.CancellationToken).</param>
    /// <param name="hostStopping">IHostApplicationLifetime.ApplicationStopping: set before the bus stops its consumers.</param>
    public ConsumeCancellation(CancellationToken consume, CancellationToken hostStopping) =>
        _registration = consume.Register(() =>
        {
            if (hostStopping.IsCancellationRequested) _source.Cancel();
        });

    public CancellationToken Token => _source.Token;

    public void Dispose()
    {
        _registration.Dispose(); // waits for a running callback, so the source is not cancelled once disposed
        _source.Dispose();
    }
}
