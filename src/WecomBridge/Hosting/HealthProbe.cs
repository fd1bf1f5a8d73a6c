namespace WecomBridge.Hosting;

/// <summary>
/// `WecomBridge probe [url]`: GETs the live endpoint and exits 0 on 200, else 1. The Dockerfile's
/// HEALTHCHECK uses it, since the official aspnet image has no curl or wget.
/// </summary>
internal static class HealthProbe
{
    public static async Task<int> RunAsync(string[] args)
    {
        var url = args.Length > 1 ? args[1] : "http://127.0.0.1:8080/health/live";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(url);
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return 1;
        }
    }
}
