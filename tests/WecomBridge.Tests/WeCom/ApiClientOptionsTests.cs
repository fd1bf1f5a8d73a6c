using WecomBridge.WeCom;

namespace WecomBridge.Tests.WeCom;

public class ApiClientOptionsTests
{
    [Fact]
    public void The_defaults_are_valid() =>
        Assert.True(new ApiClientOptionsValidator().Validate(null, new ApiClientOptions()).Succeeded);

    [Fact]
    public void Wrong_settings_are_named()
    {
        var result = new ApiClientOptionsValidator().Validate(null, new ApiClientOptions
        {
            MaxAttempts = 0,
            AttemptTimeout = TimeSpan.Zero,
            RetryMaxDelay = TimeSpan.FromMilliseconds(1),
            TokenWaitBound = TimeSpan.FromMilliseconds(10),
        });

        Assert.Equal(
            [
                "ApiClients:MaxAttempts must be between 1 and 10",
                "ApiClients:AttemptTimeout must be positive",
                "ApiClients:RetryMaxDelay must not be less than ApiClients:RetryBaseDelay",
                "ApiClients:TokenWaitBound must be longer than ApiClients:TokenPollInterval",
            ],
            result.Failures);
    }
}
