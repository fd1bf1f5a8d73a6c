namespace WecomBridge.Bench;

/// <summary>A bare Kestrel endpoint: reads the body (~900 bytes) and answers 200. Exits after maxTime.</summary>
internal static class HttpCeiling
{
    public static async Task ServeAsync(int port, TimeSpan maxTime)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapPost(Fixtures.CallbackPath, async (HttpRequest request) =>
        {
            var buffer = new byte[4096];
            var total = 0;
            int read;
            while ((read = await request.Body.ReadAsync(buffer.AsMemory(total))) > 0 && total < buffer.Length) total += read;
            return Results.Ok();
        });
        app.MapGet("/health/ready", () => Results.Ok());
        await app.StartAsync();
        Console.WriteLine($"serve-http on 127.0.0.1:{port} for at most {maxTime.TotalSeconds:F0} s");
        try { await Task.Delay(maxTime, app.Lifetime.ApplicationStopping); } catch (TaskCanceledException) { }
        await app.StopAsync();
    }
}
