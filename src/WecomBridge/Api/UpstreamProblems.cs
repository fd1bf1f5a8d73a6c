using Microsoft.AspNetCore.Http.HttpResults;
using WecomBridge.WeCom;

namespace WecomBridge.Api;

/// <summary>
/// A failed WeCom or Official Account call (after the client's retries) as problem details: permanent → 422 with
/// the errcode, throttled → 429 with Retry-After, transient → 503. Only the errcode and the API path are shown.
/// </summary>
internal static class UpstreamProblems
{
    /// <summary>WeCom blocks a minute-limit breach for 60 s; OA asks for ≥ 60 s after 45011.</summary>
    private const int ThrottledRetryAfterSeconds = 60;
    private const int TransientRetryAfterSeconds = 5;

    /// <summary>Maps <see cref="ApiException"/> thrown by the group's endpoints.</summary>
    public static RouteGroupBuilder MapUpstreamErrors(this RouteGroupBuilder group) => group
        .AddEndpointFilter(async (context, next) =>
        {
            try
            {
                return await next(context);
            }
            catch (ApiException e)
            {
                return For(e, context.HttpContext.Response);
            }
        })
        .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
        .ProducesProblem(StatusCodes.Status429TooManyRequests)
        .ProducesProblem(StatusCodes.Status502BadGateway)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    public static ProblemHttpResult For(ApiException e, HttpResponse response)
    {
        var (status, title) = e.Class switch
        {
            ApiErrorClass.Throttled => (StatusCodes.Status429TooManyRequests, "Upstream rate limit"),
            ApiErrorClass.Transient or ApiErrorClass.TokenExpired => (StatusCodes.Status503ServiceUnavailable, "Upstream unavailable"),
            _ when e.ErrCode is null => (StatusCodes.Status502BadGateway, "Upstream refused the call"),
            _ => (StatusCodes.Status422UnprocessableEntity, "Upstream rejected the command"),
        };
        if (status == StatusCodes.Status429TooManyRequests) response.Headers.RetryAfter = ThrottledRetryAfterSeconds.ToString();
        if (status == StatusCodes.Status503ServiceUnavailable) response.Headers.RetryAfter = TransientRetryAfterSeconds.ToString();

        var extensions = new Dictionary<string, object?> { ["path"] = e.Path };
        if (e.ErrCode is { } errcode) extensions["errcode"] = errcode;
        if (e.HttpStatus is { } httpStatus) extensions["upstreamStatus"] = httpStatus;
        var detail = e.ErrCode is { } code ? $"{e.Path} answered errcode {code}." : $"{e.Path} failed ({e.Class}).";
        return TypedResults.Problem(statusCode: status, title: title, detail: detail, extensions: extensions);
    }
}
