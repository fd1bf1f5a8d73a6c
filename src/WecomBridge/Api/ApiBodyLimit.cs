using Microsoft.AspNetCore.Http.Metadata;

namespace WecomBridge.Api;

/// <summary>
/// Request bodies under /api/v1 are at most 256 KiB (the largest valid command, 1,000 openids or 10,000 user ids,
/// fits well under it). Kestrel enforces the endpoint metadata on any body (also chunked); a declared
/// Content-Length over the limit is answered 413 before authentication and binding.
/// </summary>
internal sealed class ApiBodyLimit : IRequestSizeLimitMetadata
{
    public const long Bytes = 256 * 1024;

    public long? MaxRequestBodySize => Bytes;

    public static void Use(WebApplication app) => app.UseWhen(
        context => context.Request.ContentLength > Bytes && context.Request.Path.StartsWithSegments("/api/v1"),
        branch => branch.Run(context => TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge,
            title: "Payload too large", detail: $"Bodies under /api/v1 are at most {Bytes} bytes.").ExecuteAsync(context)));
}
