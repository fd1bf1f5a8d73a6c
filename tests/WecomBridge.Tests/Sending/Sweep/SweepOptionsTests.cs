using WecomBridge.Sending.Sweep;

namespace WecomBridge.Tests.Sending.Sweep;

public class SweepOptionsTests
{
    [Fact]
    public void The_defaults_are_valid_and_out_of_range_bounds_are_named()
    {
        var validator = new SweepOptionsValidator();
        Assert.True(validator.Validate(null, new SweepOptions()).Succeeded);

        var bad = validator.Validate(null, new SweepOptions
        {
            Interval = TimeSpan.Zero, AcceptedFor = TimeSpan.FromSeconds(5), DeferredFor = TimeSpan.FromDays(30),
            SendingFor = TimeSpan.FromMinutes(-1), BatchSize = 0,
        });

        Assert.False(bad.Succeeded);
        foreach (var key in new[] { "Interval", "AcceptedFor", "DeferredFor", "SendingFor", "BatchSize" })
            Assert.Contains($"Dispatch:Sweep:{key}", bad.FailureMessage);
    }
}
