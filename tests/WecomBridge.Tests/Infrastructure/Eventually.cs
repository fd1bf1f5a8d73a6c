namespace WecomBridge.Tests.Infrastructure;

/// <summary>Waits for a condition with a bound; never a bare sleep.</summary>
public static class Eventually
{
    public static async Task<T> Get<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? within = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        var last = default(T);
        while (DateTime.UtcNow < deadline)
        {
            last = await probe();
            if (done(last)) return last;
            await Task.Delay(50);
        }
        throw new TimeoutException($"{what ?? "condition"} not met within {within ?? TimeSpan.FromSeconds(30)}; last value: {last}");
    }

    public static Task True(Func<Task<bool>> condition, TimeSpan? within = null, string? what = null) =>
        Get(condition, ok => ok, within, what);

    public static Task True(Func<bool> condition, TimeSpan? within = null, string? what = null) =>
        Get(() => Task.FromResult(condition()), ok => ok, within, what);
}
