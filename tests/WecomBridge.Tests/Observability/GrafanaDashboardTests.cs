using System.Text.Json;
using System.Text.RegularExpressions;

namespace WecomBridge.Tests.Observability;

/// <summary>deploy/grafana/wecombridge.json queries only catalogued metrics, by their catalogued labels, and shows every one.</summary>
public sealed partial class GrafanaDashboardTests
{
    private static readonly string[] HistogramSuffixes = ["_bucket", "_sum", "_count"];
    private static readonly string[] PrometheusLabels = ["le", "instance", "job"];

    private static List<string> Queries()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(MetricsCatalogue.RepoRoot, "deploy", "grafana", "wecombridge.json")));
        var queries = new List<string>();
        void Walk(JsonElement panels)
        {
            foreach (var panel in panels.EnumerateArray())
            {
                if (panel.TryGetProperty("targets", out var targets))
                    queries.AddRange(targets.EnumerateArray().Select(t => t.GetProperty("expr").GetString()!));
                if (panel.TryGetProperty("panels", out var nested)) Walk(nested);
            }
        }
        Walk(json.RootElement.GetProperty("panels"));
        Assert.NotEmpty(queries);
        return queries;
    }

    private static string Family(string name, IReadOnlyDictionary<string, MetricsCatalogue.Entry> catalogue)
    {
        if (catalogue.ContainsKey(name)) return name;
        foreach (var suffix in HistogramSuffixes)
            if (name.EndsWith(suffix, StringComparison.Ordinal) && catalogue.TryGetValue(name[..^suffix.Length], out var e) && e.Type == "histogram")
                return e.Name;
        return name;
    }

    [Fact]
    public void Every_query_uses_catalogued_metrics_and_their_labels()
    {
        var catalogue = MetricsCatalogue.Read();
        foreach (var query in Queries())
        {
            var metrics = MetricName().Matches(query).Select(m => Family(m.Value, catalogue)).Distinct().ToArray();
            Assert.True(metrics.Length > 0, $"no wecombridge metric in: {query}");
            foreach (var metric in metrics) Assert.True(catalogue.ContainsKey(metric), $"{metric} is not in docs/metrics.md (query: {query})");
            var allowed = metrics.SelectMany(m => catalogue[m].Labels).Concat(PrometheusLabels).ToHashSet();
            var used = Grouping().Matches(query).SelectMany(m => m.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries))
                .Concat(Matcher().Matches(query).Select(m => m.Groups[1].Value));
            foreach (var label in used) Assert.True(allowed.Contains(label), $"label {label} is not catalogued for {string.Join(", ", metrics)}: {query}");
        }
    }

    [Fact]
    public void Every_catalogued_metric_has_a_panel()
    {
        var catalogue = MetricsCatalogue.Read();
        var shown = Queries().SelectMany(q => MetricName().Matches(q).Select(m => Family(m.Value, catalogue))).ToHashSet();
        Assert.Empty(catalogue.Keys.Except(shown));
    }

    [GeneratedRegex("wecombridge_[a-z0-9_]+")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"\b(?:by|without)\s*\(([^)]*)\)")]
    private static partial Regex Grouping();

    [GeneratedRegex("""[{,]\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)""")]
    private static partial Regex Matcher();
}
