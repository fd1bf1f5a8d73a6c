using System.Text.Json.Serialization;

namespace WecomBridge.WeCom;

/// <summary>What every WeCom and Official Account answer carries (OA omits it on success: 0).</summary>
public abstract record ApiResult
{
    [JsonPropertyName("errcode")] public int ErrCode { get; init; }
    [JsonPropertyName("errmsg")] public string? ErrMsg { get; init; }
}

/// <summary>An answer with nothing but errcode/errmsg.</summary>
public sealed record ApiOk : ApiResult;

/// <summary>gettoken (WeCom) and stable_token (OA). The token is never logged.</summary>
public sealed record AccessTokenResponse(string AccessToken, int ExpiresIn) : ApiResult
{
    public override string ToString() => $"AccessTokenResponse {{ ExpiresIn = {ExpiresIn} }}";
}
