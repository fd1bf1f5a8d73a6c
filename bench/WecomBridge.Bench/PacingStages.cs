using System.Globalization;
using System.Text.RegularExpressions;

namespace WecomBridge.Bench;

/// <summary>
/// Where the welcomes' time went inside the dispatchers, from their "Welcome stages" debug lines (WelcomeWork): queued
/// (the gateway's receipt of the callback to the start of the welcome's work: publish, broker, consumer), claim,
/// permit and the WeCom call (token and HTTP, up to the fake's answer). One STAGES line per run: p50/p99 of each.
/// </summary>
internal static partial class PacingStages
{
    private static readonly string[] Keys = ["queued_ms", "claim_ms", "permit_ms", "call_ms"];

    /// <summary>The current length of each log: the next <see cref="Line"/> reads what was written after it.</summary>
    public static long[] Mark(string[] logs) => logs.Select(l => File.Exists(l) ? new FileInfo(l).Length : 0).ToArray();

    public static string Line(string name, string[] logs, long[] marks)
    {
        var values = Keys.ToDictionary(k => k, _ => new List<double>());
        for (var k = 0; k < logs.Length; k++)
        {
            using var stream = new FileStream(logs[k], FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            stream.Seek(marks[k], SeekOrigin.Begin);
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                if (!line.Contains("Welcome stages", StringComparison.Ordinal)) continue;
                foreach (Match m in Pair().Matches(line))
                    if (values.TryGetValue(m.Groups[1].Value, out var list)) list.Add(double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
            }
        }
        return string.Create(CultureInfo.InvariantCulture, $"STAGES name={name} welcomes={values["call_ms"].Count} ") + string.Join(' ',
            Keys.Select(k => values[k].Order().ToArray()).Select((v, i) => string.Create(CultureInfo.InvariantCulture,
                $"{Keys[i][..^3]}_p50_ms={P(v, 0.5):F0} {Keys[i][..^3]}_p99_ms={P(v, 0.99):F0}")));
    }

    private static double P(double[] sorted, double p) => sorted.Length == 0 ? 0 : LoadResult.Percentile(sorted, p);

    [GeneratedRegex(@"(\w+_ms)=(-?\d+)")]
    private static partial Regex Pair();
}
