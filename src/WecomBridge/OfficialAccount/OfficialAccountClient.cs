using System.Runtime.CompilerServices;
using System.Text.Json.Serialization.Metadata;
using Polly.Registry;
using WecomBridge.RateLimits;
using WecomBridge.WeCom;
using WecomBridge.WeCom.Tokens;

namespace WecomBridge.OfficialAccount;

/// <summary>
/// Typed client of the Official Account API (transient, from IHttpClientFactory). Tokens come from stable_token
/// through the shared cache; failures surface as <see cref="ApiException"/> after the "oa" or "oa-create" pipeline.
/// </summary>
internal sealed class OfficialAccountClient(HttpClient http, AccessTokenCache tokens, ResiliencePipelineProvider<string> pipelines,
    ApiMetrics metrics)
{
    private const string Api = "/cgi-bin/";
    private static OfficialAccountJsonContext Json => OfficialAccountJsonContext.Default;

    /// <summary>stable_token in normal mode (never force_refresh: ≤ 20 a day, and it invalidates the shared token).</summary>
    public Task<AccessTokenResponse> GetStableTokenAsync(OfficialAccountCredential who, CancellationToken ct = default)
    {
        const string path = Api + "stable_token";
        var body = new StableTokenRequest("client_credential", who.AppId, who.Secret, ForceRefresh: false);
        return ApiRunner.RunAsync(pipelines.GetPipeline(ApiPipelines.OfficialAccount), metrics, path, c => ApiTransport.SendAsync(http,
            new HttpRequestMessage(HttpMethod.Post, path.TrimStart('/')) { Content = ApiTransport.Json(body, Json.StableTokenRequest) },
            Json.AccessTokenResponse, OfficialAccountErrors.Classify, path, c), ct);
    }

    /// <summary>
    /// message/template/send. With a ClientMsgId WeChat drops a repeat within 10 minutes, so the call may be retried
    /// after an unknown outcome; without one it is not.
    /// </summary>
    public async Task<long> SendTemplateMessageAsync(OfficialAccountCredential who, TemplateMessageRequest request, CancellationToken ct = default) =>
        (await PostAsync(who, "message/template/send", request, Json.TemplateMessageRequest, Json.TemplateMessageResult,
            creates: request.ClientMsgId is null, ct)).MsgId;

    /// <summary>message/custom/send: not repeated when its outcome is unknown.</summary>
    public Task SendCustomMessageAsync(OfficialAccountCredential who, CustomMessageRequest request, CancellationToken ct = default) =>
        PostAsync(who, "message/custom/send", request, Json.CustomMessageRequest, Json.ApiOk, creates: true, ct);

    public Task<FollowerInfo> GetFollowerAsync(OfficialAccountCredential who, string openId, string lang = "zh_CN", CancellationToken ct = default) =>
        GetAsync(who, "user/info", ApiTransport.Query(("openid", openId), ("lang", lang)), Json.FollowerInfo, ct);

    /// <summary>user/get: one page of openids after <paramref name="nextOpenId"/> (null: from the start).</summary>
    public Task<FollowerPage> GetFollowersPageAsync(OfficialAccountCredential who, string? nextOpenId, CancellationToken ct = default) =>
        GetAsync(who, "user/get", ApiTransport.Query(("next_openid", nextOpenId)), Json.FollowerPage, ct);

    /// <summary>Every follower's openid, page by page (the last page has count 0 or no next_openid).</summary>
    public async IAsyncEnumerable<string> GetFollowersAsync(OfficialAccountCredential who, [EnumeratorCancellation] CancellationToken ct = default)
    {
        string? next = null;
        while (true)
        {
            var page = await GetFollowersPageAsync(who, next, ct);
            foreach (var openId in page.Data?.OpenIds ?? []) yield return openId;
            if (page.Count == 0 || string.IsNullOrEmpty(page.NextOpenId) || page.NextOpenId == next) yield break;
            next = page.NextOpenId;
        }
    }

    public Task TagFollowersAsync(OfficialAccountCredential who, TaggingRequest request, CancellationToken ct = default) =>
        PostAsync(who, "tags/members/batchtagging", request, Json.TaggingRequest, Json.ApiOk, creates: false, ct);

    public Task UntagFollowersAsync(OfficialAccountCredential who, TaggingRequest request, CancellationToken ct = default) =>
        PostAsync(who, "tags/members/batchuntagging", request, Json.TaggingRequest, Json.ApiOk, creates: false, ct);

    private Task<T> GetAsync<T>(OfficialAccountCredential who, string api, string query, JsonTypeInfo<T> answer, CancellationToken ct)
        where T : ApiResult =>
        CallAsync(who, ApiPipelines.OfficialAccount, api, token => new HttpRequestMessage(HttpMethod.Get, Url(api, token) + "&" + query), answer, ct);

    private Task<TAnswer> PostAsync<TBody, TAnswer>(OfficialAccountCredential who, string api, TBody body, JsonTypeInfo<TBody> request,
        JsonTypeInfo<TAnswer> answer, bool creates, CancellationToken ct) where TAnswer : ApiResult =>
        CallAsync(who, creates ? ApiPipelines.OfficialAccountCreate : ApiPipelines.OfficialAccount, api,
            token => new HttpRequestMessage(HttpMethod.Post, Url(api, token)) { Content = ApiTransport.Json(body, request) }, answer, ct);

    private Task<T> CallAsync<T>(OfficialAccountCredential who, string pipeline, string api, Func<string, HttpRequestMessage> request,
        JsonTypeInfo<T> answer, CancellationToken ct) where T : ApiResult
    {
        var path = Api + api;
        var source = new TokenSource(who.TokenKey, Api + "stable_token", c => GetStableTokenAsync(who, c));
        return ApiRunner.RunAsync(pipelines.GetPipeline(pipeline), metrics, path, async c =>
        {
            var token = await tokens.GetAsync(source, c);
            try
            {
                return await ApiTransport.SendAsync(http, PacedCall.Stamp(request(token), api), answer, OfficialAccountErrors.Classify, path, c);
            }
            catch (ApiException e) when (e.Class == ApiErrorClass.TokenExpired)
            {
                await tokens.InvalidateAsync(source, token); // the retry (once) fetches a new one
                throw;
            }
        }, ct);
    }

    private static string Url(string api, string token) => $"cgi-bin/{api}?access_token={Uri.EscapeDataString(token)}";
}
