using System.Text.RegularExpressions;

namespace WecomBridge.Tests.Observability;

/// <summary>A Prometheus text exposition, read: each family's type, and each sample's name and labels.</summary>
public sealed partial class Scrape
{
    private Scrape(Dictionary<string, string> types, List<(string Name, Dictionary<string, string> Labels, string Value)> samples)
    {
        Types = types;
        Samples = samples;
    }

    /// <summary>Family name (as `# TYPE` gives it) → counter, gauge or histogram.</summary>
    public IReadOnlyDictionary<string, string> Types { get; }

    public IReadOnlyList<(string Name, Dictionary<string, string> Labels, string Value)> Samples { get; }

    public static Scrape Parse(string text)
    {
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var samples = new List<(string, Dictionary<string, string>, string)>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                types[parts[2]] = parts[3];
                continue;
            }
            if (line.StartsWith('#')) continue;
            var match = SampleLine().Match(line);
            if (!match.Success) throw new FormatException("unreadable sample line: " + line);
            var labels = LabelPair().Matches(match.Groups["labels"].Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
            samples.Add((match.Groups["name"].Value, labels, match.Groups["value"].Value));
        }
        return new Scrape(types, samples);
    }

    /// <summary>The family a sample belongs to: its name, or its name less a histogram's _bucket, _sum or _count.</summary>
    public string FamilyOf(string sample)
    {
        if (Types.ContainsKey(sample)) return sample;
        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
            if (sample.EndsWith(suffix, StringComparison.Ordinal) && Types.ContainsKey(sample[..^suffix.Length])) return sample[..^suffix.Length];
        return sample;
    }

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\S+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex(""""([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"""")]
    private static partial Regex LabelPair();
}
