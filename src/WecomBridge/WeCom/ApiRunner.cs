using Polly;
using Polly.Timeout;

namespace WecomBridge.WeCom;

/// <summary>Runs one call's attempts through its named pipeline; a final timeout becomes an <see cref="ApiException"/>.</summary>
internal static class ApiRunner
{
    public static async Task<T> RunAsync<T>(ResiliencePipeline pipeline, string path, Func<CancellationToken, Task<T>> attempt, CancellationToken ct)
    {
        var context = ResilienceContextPool.Shared.Get(ct);
        try
        {
            return await pipeline.ExecuteAsync(static async (context, attempt) => await attempt(context.CancellationToken), context, attempt);
        }
        catch (TimeoutRejectedException e)
        {
            throw ApiException.Timeout(path, e);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}
