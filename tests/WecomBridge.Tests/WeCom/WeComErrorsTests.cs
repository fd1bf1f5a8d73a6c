using WecomBridge.WeCom;

namespace WecomBridge.Tests.WeCom;

public class WeComErrorsTests
{
    [Theory]
    [InlineData(0, ApiErrorClass.Success)]
    [InlineData(-1, ApiErrorClass.Transient)]
    [InlineData(6000, ApiErrorClass.Transient)]
    [InlineData(45033, ApiErrorClass.Transient)]
    [InlineData(84061, ApiErrorClass.Transient)]
    [InlineData(40014, ApiErrorClass.TokenExpired)]
    [InlineData(42001, ApiErrorClass.TokenExpired)]
    [InlineData(45009, ApiErrorClass.Throttled)]
    [InlineData(40001, ApiErrorClass.Configuration)] // a bad secret on WeCom, not a stale token
    [InlineData(40013, ApiErrorClass.Configuration)]
    [InlineData(41001, ApiErrorClass.Permanent)]
    [InlineData(40003, ApiErrorClass.Permanent)]
    [InlineData(40096, ApiErrorClass.Permanent)]
    [InlineData(41051, ApiErrorClass.Permanent)]
    [InlineData(48002, ApiErrorClass.Configuration)]
    [InlineData(60020, ApiErrorClass.Configuration)]
    [InlineData(81013, ApiErrorClass.Permanent)]
    [InlineData(45011, ApiErrorClass.Permanent)] // an OA code: unknown to WeCom
    [InlineData(123456, ApiErrorClass.Permanent)]
    public void WeCom_errcodes_are_classified_per_the_table(int errcode, ApiErrorClass expected) =>
        Assert.Equal(expected, WeComErrors.Classify(errcode));
}
