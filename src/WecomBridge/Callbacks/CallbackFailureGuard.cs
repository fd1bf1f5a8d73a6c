namespace WecomBridge.Callbacks;

/// <summary>
/// On the callback routes, a failure nobody planned for (a bug, a spool or publisher that throws, shutdown) closes
/// the connection without an answer instead of answering 500: WeCom retries a callback only after a failed
/// connection or a timeout, never after an error status, so an error status would lose the event.
/// </summary>
internal static partial class CallbackFailureGuard
{
    public static IApplicationBuilder UseCallbackFailureGuard(this IApplicationBuilder app) =>
        app.Use(static async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments("/callbacks"))
            {
                await next(context);
                return;
            }
            try
            {
                await next(context);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                var services = context.RequestServices;
                var logger = services.GetRequiredService<ILogger<CallbackSources>>();
                // A sender that gave up mid-request (WeCom after 5 s, a load balancer) is no fault of ours, and a storm
                // of them must not flood the log.
                var abandoned = context.RequestAborted.IsCancellationRequested;
                services.GetRequiredService<GatewayMetrics>().Callback(Channel(context.Request.Path), abandoned ? "abandoned" : "failed",
                    (context.GetRouteValue("corp") ?? context.GetRouteValue("account")) as string, context.GetRouteValue("app") as string);
                if (abandoned) Log.Abandoned(logger, context.Request.Path);
                else Log.Failed(logger, context.Request.Path, e.GetType().Name);
                context.Abort();
            }
        });

    private static string Channel(PathString path) => path.StartsWithSegments("/callbacks/oa") ? "oa" : "wecom";

    private static partial class Log
    {
        // The path holds only configuration keys ({corp}/{app} or {account}); the exception's message is left out,
        // since it may quote the payload.
        [LoggerMessage(32, LogLevel.Error, "Callback {Path} failed ({Error}): closing the connection unanswered so that the sender retries")]
        public static partial void Failed(ILogger logger, string path, string error);

        [LoggerMessage(34, LogLevel.Debug, "Callback {Path} abandoned by its sender before it was answered")]
        public static partial void Abandoned(ILogger logger, string path);
    }
}
