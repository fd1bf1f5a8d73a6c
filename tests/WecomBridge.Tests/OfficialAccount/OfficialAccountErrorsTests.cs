using WecomBridge.OfficialAccount;
using WecomBridge.WeCom;

namespace WecomBridge.Tests.OfficialAccount;

public class OfficialAccountErrorsTests
{
    [Theory]
    [InlineData(0, ApiErrorClass.Success)]
    [InlineData(-1, ApiErrorClass.Transient)]
    [InlineData(40001, ApiErrorClass.TokenExpired)] // "credential invalid or not the latest" on OA
    [InlineData(40014, ApiErrorClass.TokenExpired)]
    [InlineData(42001, ApiErrorClass.TokenExpired)]
    [InlineData(45009, ApiErrorClass.Throttled)]
    [InlineData(45011, ApiErrorClass.Throttled)]
    [InlineData(45066, ApiErrorClass.Throttled)]
    [InlineData(43004, ApiErrorClass.Permanent)]
    [InlineData(45015, ApiErrorClass.Permanent)]
    [InlineData(45047, ApiErrorClass.Permanent)]
    [InlineData(48001, ApiErrorClass.Configuration)]
    [InlineData(40013, ApiErrorClass.Configuration)]
    [InlineData(40125, ApiErrorClass.Configuration)]
    [InlineData(40164, ApiErrorClass.Configuration)]
    [InlineData(48002, ApiErrorClass.Permanent)] // on OA: the user refuses messages
    [InlineData(40037, ApiErrorClass.Permanent)]
    [InlineData(47003, ApiErrorClass.Permanent)]
    [InlineData(6000, ApiErrorClass.Permanent)]  // WeCom codes mean nothing here
    [InlineData(45033, ApiErrorClass.Permanent)]
    [InlineData(84061, ApiErrorClass.Permanent)]
    [InlineData(99999, ApiErrorClass.Permanent)]
    public void Official_account_errcodes_are_classified_per_the_table(int errcode, ApiErrorClass expected) =>
        Assert.Equal(expected, OfficialAccountErrors.Classify(errcode));
}
