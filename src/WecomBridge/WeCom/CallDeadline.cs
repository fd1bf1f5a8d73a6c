namespace WecomBridge.WeCom;

/// <summary>
/// The time after which no attempt of a call may start (a welcome code works until 20 s after its add event). An attempt
/// that started before it runs to its end (its own timeout bounds it): WeCom decides by arrival, and cutting it off would
/// only make its outcome unknown. With a deadline the pipeline makes no retry whose delay would end at or after it
/// (the caller gets the last attempt's failure), and spreads 84061 retries over the time left (<see cref="ApiPipelines"/>).
/// </summary>
internal sealed record CallDeadline(DateTimeOffset At, TimeProvider Time)
{
    public TimeSpan Left => At - Time.GetUtcNow();

    public bool Passed => Left <= TimeSpan.Zero;
}
