using WecomBridge.Sending.Errors;

namespace WecomBridge.Tests.Sending.Errors;

/// <summary>Dispatch:Errors is validated at start: each wrong value is named by its setting's path.</summary>
public class SendErrorOptionsTests
{
    [Fact]
    public void The_defaults_pass_and_each_wrong_value_is_named()
    {
        var validator = new SendErrorOptionsValidator();
        Assert.True(validator.Validate(null, new SendErrorOptions()).Succeeded);
        foreach (var (options, setting) in new (SendErrorOptions, string)[]
                 {
                     (new() { Window = TimeSpan.FromSeconds(30) }, "Dispatch:Errors:Window"),
                     (new() { Window = TimeSpan.FromHours(2), Retention = TimeSpan.FromHours(1) }, "Dispatch:Errors:Retention"),
                     (new() { Retention = TimeSpan.FromDays(3) }, "Dispatch:Errors:Retention"),
                     (new() { RecentPerErrCode = 0 }, "Dispatch:Errors:RecentPerErrCode"),
                     (new() { RecentPerErrCode = 51 }, "Dispatch:Errors:RecentPerErrCode"),
                     (new() { MaxAmbiguous = 0 }, "Dispatch:Errors:MaxAmbiguous"),
                     (new() { MaxAmbiguous = 1001 }, "Dispatch:Errors:MaxAmbiguous"),
                 })
        {
            var result = validator.Validate(null, options);
            Assert.True(result.Failed, setting);
            Assert.StartsWith(setting + " ", result.FailureMessage);
        }
    }
}
