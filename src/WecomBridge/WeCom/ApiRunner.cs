using Polly;
using Polly.Timeout;

namespace WecomBridge.WeCom;

/// <summary>
/// Runs one call's attempts through its named pipeline; a final timeout becomes an <see cref="ApiException"/>.
/// Counts the call's outcome once, after retries. A <see cref="CallDeadline"/> bounds when attempts may start.
/// </summary>
internal static class ApiRunner
{
    public static async Task<T> RunAsync<T>(
        ResiliencePipeline pipeline, ApiMetrics metrics, string path, Func<CancellationToken, Task<T>> attempt, CancellationToken ct,
        CallDeadline? deadline = null)
    {
        var context = ResilienceContextPool.Shared.Get(ct);
        if (deadline is not null) context.Properties.Set(ApiPipelines.Deadline, deadline);
        try
        {
            var result = await pipeline.ExecuteAsync(static async (context, attempt) => await attempt(context.CancellationToken), context, attempt);
            metrics.Call(path, ApiErrorClass.Success);
            return result;
        }
        catch (TimeoutRejectedException e)
        {
            metrics.Call(path, ApiErrorClass.Transient);
            throw ApiException.Timeout(path, e);
        }
        catch (ApiException e)
        {
            metrics.Call(path, e.Class);
            throw;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}
