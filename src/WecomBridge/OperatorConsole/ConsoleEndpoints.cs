using WecomBridge.Sending.Status;

namespace WecomBridge.OperatorConsole;

/// <summary>
/// The operators' console: a static shell under /console (HTML, CSS and JS embedded in the assembly, no third-party
/// code) whose script reads every datum from /api/v1 with the API key the operator signs in with. On a dispatcher it
/// also maps the read routes the console needs and no other route had: rates against limits, stuck sends, the recent
/// send errors by errcode and the ambiguous sends.
/// </summary>
internal static class ConsoleEndpoints
{
    public const string Path = "/console";

    public static WebApplication MapConsole(this WebApplication app, RouteGroupBuilder api)
    {
        app.MapGet(Path + "/{file?}", (string? file, HttpContext http) => ConsoleAssets.Serve(http, file ?? "index.html"))
            .ExcludeFromDescription();
        // The send status store is the dispatcher's: without it there are no sends, buckets or rates to show.
        if (app.Services.GetRequiredService<IServiceProviderIsService>().IsService(typeof(ISendStatusStore))) api.MapDispatchRates().MapStuckSends()
            .MapSendErrors();
        return app;
    }
}
