using System.Net;
using System.Net.Http.Headers;
using WecomBridge.Observability;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.Observability;

/// <summary>The scrape endpoint's switches: off by default, its path, the optional API key, and refused settings.</summary>
[Collection(MetricsCollection.Name)]
public sealed class PrometheusEndpointTests
{
    private static BridgeApp Embedded(Dictionary<string, string?> settings)
    {
        settings["Gateway:Spool:Path"] = Path.Combine(Path.GetTempPath(), "wb-metrics-" + Guid.NewGuid().ToString("N"));
        settings["SendApi:ApiKeys:0:Name"] = "scraper";
        settings["SendApi:ApiKeys:0:KeyHash"] = Api.ApiApp.Hash(MetricsApp.Key);
        return new BridgeApp(settings);
    }

    [Fact]
    public async Task Off_by_default()
    {
        await using var app = Embedded([]);
        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateClient().GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task Serves_the_meters_in_the_text_format_without_a_key_when_enabled()
    {
        await using var app = Embedded(new() { ["Telemetry:Prometheus:Enabled"] = "true" });
        var response = await app.CreateClient().GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        var scrape = Scrape.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("gauge", scrape.Types["wecombridge_spool_depth"]);
    }

    [Fact]
    public async Task Serves_at_the_configured_path_only()
    {
        await using var app = Embedded(new() { ["Telemetry:Prometheus:Enabled"] = "true", ["Telemetry:Prometheus:Path"] = "/ops/metrics" });
        var http = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/ops/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task With_RequireApiKey_a_scraper_needs_a_configured_key()
    {
        await using var app = Embedded(new() { ["Telemetry:Prometheus:Enabled"] = "true", ["Telemetry:Prometheus:RequireApiKey"] = "true" });
        var http = app.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/metrics")).StatusCode);
        foreach (var bad in new[] { "wrong", new string('k', 600), "" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + bad);
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(request)).StatusCode);
        }
        using var good = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        good.Headers.Authorization = new AuthenticationHeaderValue("Bearer", MetricsApp.Key);
        var response = await http.SendAsync(good);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("wecombridge_spool_depth", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("metrics")]
    [InlineData("")]
    [InlineData("/api/v1/metrics")]
    [InlineData("/health/metrics")]
    [InlineData("/callbacks/metrics")]
    [InlineData("/metrics?x=1")]
    [InlineData("/met rics")]
    [InlineData("/metrics/\u00e9")]
    public void A_bad_path_is_refused_naming_the_setting(string path)
    {
        var result = new TelemetryOptionsValidator().Validate(null, new TelemetryOptions { Prometheus = { Path = path } });
        Assert.True(result.Failed);
        Assert.Contains("Telemetry:Prometheus:Path", result.FailureMessage);
    }

    [Fact]
    public void An_overlong_path_and_a_bad_sample_interval_are_refused()
    {
        var validator = new TelemetryOptionsValidator();
        Assert.True(validator.Validate(null, new TelemetryOptions { Prometheus = { Path = "/" + new string('m', 200) } }).Failed);
        var interval = validator.Validate(null, new TelemetryOptions { SampleInterval = TimeSpan.Zero });
        Assert.Contains("Telemetry:SampleInterval", interval.FailureMessage);
        Assert.True(validator.Validate(null, new TelemetryOptions()).Succeeded);
    }
}
