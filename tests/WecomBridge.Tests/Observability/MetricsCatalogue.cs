namespace WecomBridge.Tests.Observability;

/// <summary>docs/metrics.md's catalogue: each row `| `name` | type | unit | labels | meaning |`.</summary>
public static class MetricsCatalogue
{
    public sealed record Entry(string Name, string Type, IReadOnlySet<string> Labels);

    public static string RepoRoot
    {
        get
        {
            var root = AppContext.BaseDirectory;
            while (!File.Exists(Path.Combine(root, "WecomBridge.sln"))) root = Path.GetDirectoryName(root)!;
            return root;
        }
    }

    public static IReadOnlyDictionary<string, Entry> Read()
    {
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(RepoRoot, "docs", "metrics.md")))
        {
            if (!line.StartsWith("| `wecombridge_", StringComparison.Ordinal)) continue;
            var cells = line.Split('|').Select(c => c.Trim()).ToArray();
            var name = cells[1].Trim('`');
            var labels = cells[4].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(l => l.Trim('`')).Where(l => l != "—").ToHashSet(StringComparer.Ordinal);
            Assert.True(entries.TryAdd(name, new Entry(name, cells[2], labels)), $"{name} is catalogued twice");
        }
        Assert.NotEmpty(entries);
        return entries;
    }
}
