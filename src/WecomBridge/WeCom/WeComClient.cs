using System.Text.Json.Serialization.Metadata;
using Polly.Registry;
using WecomBridge.RateLimits;
using WecomBridge.WeCom.Tokens;

namespace WecomBridge.WeCom;

/// <summary>
/// Typed client of the WeCom server API (transient, from IHttpClientFactory). Every call but gettoken carries the
/// access_token of its credential from the shared cache; failures surface as <see cref="ApiException"/> after the
/// "wecom" or "wecom-create" pipeline (<see cref="ApiPipelines"/>) has done what it may. Never sends debug=1.
/// </summary>
internal sealed partial class WeComClient(HttpClient http, AccessTokenCache tokens, ResiliencePipelineProvider<string> pipelines,
    ApiMetrics metrics)
{
    private const string Api = "/cgi-bin/";

    private static WeComJsonContext Json => WeComJsonContext.Default;

    /// <summary>gettoken: a token of the credential straight from WeCom (callers use the cache instead).</summary>
    public Task<AccessTokenResponse> GetTokenAsync(WeComCredential who, CancellationToken ct = default)
    {
        const string path = Api + "gettoken";
        var query = ApiTransport.Query(("corpid", who.CorpId), ("corpsecret", who.Secret));
        return ApiRunner.RunAsync(pipelines.GetPipeline(ApiPipelines.WeCom), metrics, path, c => ApiTransport.SendAsync(
            http, new HttpRequestMessage(HttpMethod.Get, Relative(path) + "?" + query), Json.AccessTokenResponse, WeComErrors.Classify, path, c), ct);
    }

    private Task<T> GetAsync<T>(WeComCredential who, string api, string query, JsonTypeInfo<T> answer, CancellationToken ct)
        where T : ApiResult =>
        CallAsync(who, ApiPipelines.WeCom, api, token => new HttpRequestMessage(HttpMethod.Get, Url(api, token) + "&" + query), answer, ct);

    /// <summary><paramref name="creates"/>: the call creates something and must not be repeated when its outcome is unknown.</summary>
    private Task<TAnswer> PostAsync<TBody, TAnswer>(
        WeComCredential who, string api, TBody body, JsonTypeInfo<TBody> request, JsonTypeInfo<TAnswer> answer, bool creates, CancellationToken ct,
        CallDeadline? deadline = null)
        where TAnswer : ApiResult =>
        CallAsync(who, creates ? ApiPipelines.WeComCreate : ApiPipelines.WeCom, api,
            token => new HttpRequestMessage(HttpMethod.Post, Url(api, token)) { Content = ApiTransport.Json(body, request) }, answer, ct, deadline);

    private Task<T> CallAsync<T>(WeComCredential who, string pipeline, string api, Func<string, HttpRequestMessage> request,
        JsonTypeInfo<T> answer, CancellationToken ct, CallDeadline? deadline = null) where T : ApiResult
    {
        var path = Api + api;
        var source = TokenSource(who);
        return ApiRunner.RunAsync(pipelines.GetPipeline(pipeline), metrics, path, async c =>
        {
            var token = await tokens.GetAsync(source, c);
            // A token fetch may have taken the time that was left: nothing starts after the deadline.
            if (deadline is { Passed: true }) throw ApiException.NotSent(path, "its deadline passed before the attempt could start");
            try
            {
                return await ApiTransport.SendAsync(http, PacedCall.Stamp(request(token), api), answer, WeComErrors.Classify, path, c);
            }
            catch (ApiException e) when (e.Class == ApiErrorClass.TokenExpired)
            {
                await tokens.InvalidateAsync(source, token); // the retry (once) fetches a new one
                throw;
            }
        }, ct, deadline);
    }

    private TokenSource TokenSource(WeComCredential who) => new(who.TokenKey, Api + "gettoken", c => GetTokenAsync(who, c));

    private static string Relative(string path) => path.TrimStart('/');

    private static string Url(string api, string token) => $"{Relative(Api + api)}?access_token={Uri.EscapeDataString(token)}";
}
