using Microsoft.AspNetCore.Http.Metadata;

namespace WecomBridge.Api;

/// <summary>
/// Request bodies under /api/v1 are at most 256 KiB (1,000 openids or 10,000 user ids fit well under it); an
/// endpoint may carry its own, larger limit (POST /api/v1/messages). Kestrel enforces the endpoint metadata on any
/// body (also chunked); a declared Content-Length over the endpoint's limit is answered 413 before authentication
/// and binding.
/// </summary>
internal sealed class ApiBodyLimit(long bytes = ApiBodyLimit.Bytes) : IRequestSizeLimitMetadata
{
    public const long Bytes = 256 * 1024;

    public long? MaxRequestBodySize => bytes;

    public static void Use(WebApplication app) => app.UseWhen(
        context => context.Request.ContentLength > LimitOf(context) && context.Request.Path.StartsWithSegments("/api/v1"),
        branch => branch.Run(context => TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge,
            title: "Payload too large", detail: $"This endpoint takes bodies of at most {LimitOf(context)} bytes.").ExecuteAsync(context)));

    /// <summary>The matched endpoint's limit (routing runs first), else the /api/v1 default.</summary>
    private static long LimitOf(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? Bytes;
}
