using System.Net;
using System.Text.Json;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Hosting;

public class HealthTests
{
    [Fact]
    public async Task Embedded_mode_is_live_and_ready_with_no_servers()
    {
        await using var app = new BridgeApp(new Dictionary<string, string?>());
        var http = app.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
        var ready = await Eventually.Get(() => http.GetAsync("/health/ready"), r => r.StatusCode == HttpStatusCode.OK, what: "ready");
        var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.False(body.GetProperty("checks").TryGetProperty("redis", out _));
    }

    [Fact]
    public async Task Serves_the_openapi_document_and_the_api_reference_page()
    {
        await using var app = new BridgeApp(new Dictionary<string, string?>());
        var http = app.CreateClient();

        var openApi = await http.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
        Assert.StartsWith("3.", JsonDocument.Parse(await openApi.Content.ReadAsStringAsync()).RootElement.GetProperty("openapi").GetString());
        var reference = await http.GetAsync("/scalar/v1");
        Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
        Assert.Contains("openapi/v1.json", await reference.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Unknown_routes_answer_problem_details()
    {
        await using var app = new BridgeApp(new Dictionary<string, string?>());
        var response = await app.CreateClient().GetAsync("/api/v1/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}

public class TelemetryTests
{
    [Fact]
    public async Task OpenTelemetry_is_wired_only_when_an_otlp_endpoint_is_configured()
    {
        await using var plain = new BridgeApp(new Dictionary<string, string?>());
        Assert.Null(plain.Services.GetService(typeof(OpenTelemetry.Trace.TracerProvider)));

        await using var exported = new BridgeApp(new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:4317" });
        Assert.NotNull(exported.Services.GetService(typeof(OpenTelemetry.Trace.TracerProvider)));
        Assert.NotNull(exported.Services.GetService(typeof(OpenTelemetry.Metrics.MeterProvider)));
    }
}
