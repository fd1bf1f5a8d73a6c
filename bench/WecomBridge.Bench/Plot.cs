using System.Globalization;
using System.Security;
using System.Text;

namespace WecomBridge.Bench;

/// <summary>
/// Small hand-written SVG charts of the results file (no plotting package needed): the load series
/// (throughput, latency and peak working set against the offered rate) and the soak (working set,
/// latency and throughput per interval against time).
/// </summary>
internal static class Plot
{
    private sealed record Line(string Name, string Color, double[] Y, bool Dashed = false);

    private const double PanelWidth = 300, PanelHeight = 220, Left = 56, Top = 34, Right = 14, Bottom = 42;

    /// <summary>RESULT lines named series-* (bench/series.sh).</summary>
    public static void Series(string results, string output, string caption)
    {
        var steps = Records(results, "RESULT").Where(r => r["name"].StartsWith("series-")).OrderBy(r => D(r, "rate")).ToArray();
        if (steps.Length == 0) throw new InvalidOperationException($"no series-* RESULT lines in {results}");
        var xs = steps.Select(r => Math.Log2(D(r, "rate"))).ToArray();
        var ticks = steps.Select((r, i) => (xs[i], r["rate"] + "/s")).ToArray();
        var svg = Begin(3, caption);
        svg.Append(Panel(0, "throughput (callbacks/s)", xs, ticks, false,
            [new("offered", "#888888", steps.Select(r => D(r, "rate")).ToArray(), true),
             new("answered 200 per s", "#1f77b4", steps.Select(r => D(r, "ok") / D(r, "seconds")).ToArray())]));
        svg.Append(Panel(1, "latency (ms, log scale)", xs, ticks, true,
            [new("p50", "#2ca02c", steps.Select(r => D(r, "p50_ms")).ToArray()),
             new("p99", "#ff7f0e", steps.Select(r => D(r, "p99_ms")).ToArray()),
             new("p99.9", "#d62728", steps.Select(r => D(r, "p999_ms")).ToArray())]));
        svg.Append(Panel(2, "gateway memory (MiB)", xs, ticks, false,
            [new("peak (VmHWM)", "#9467bd", steps.Select(r => D(r, "hwm_mb")).ToArray()),
             new("max VmRSS in step", "#8c564b", steps.Select(r => D(r, "rss_peak_mb")).ToArray(), true)]));
        File.WriteAllText(output, End(svg));
    }

    /// <summary>SOAK lines (bench/soak.sh).</summary>
    public static void Soak(string results, string output, string caption)
    {
        var rows = Records(results, "SOAK").ToArray();
        if (rows.Length == 0) throw new InvalidOperationException($"no SOAK lines in {results}");
        var xs = rows.Select(r => D(r, "t_s") / 60).ToArray();
        var step = Math.Max(1, Math.Ceiling(xs[^1] / 6));
        var ticks = Enumerable.Range(0, (int)(xs[^1] / step) + 1).Select(k => (k * step, (k * step).ToString(CultureInfo.InvariantCulture) + " min")).ToArray();
        var svg = Begin(3, caption);
        svg.Append(Panel(0, "gateway memory (MiB)", xs, ticks, false,
            [new("working set (VmRSS)", "#9467bd", rows.Select(r => D(r, "rss_mb")).ToArray()),
             new("peak (VmHWM)", "#8c564b", rows.Select(r => D(r, "hwm_mb")).ToArray(), true)], zeroBased: true, xFrom: 0));
        svg.Append(Panel(1, "latency per interval (ms, log)", xs, ticks, true,
            [new("p50", "#2ca02c", rows.Select(r => D(r, "p50_ms")).ToArray()),
             new("p99", "#ff7f0e", rows.Select(r => D(r, "p99_ms")).ToArray()),
             new("p99.9", "#d62728", rows.Select(r => D(r, "p999_ms")).ToArray())], xFrom: 0));
        svg.Append(Panel(2, "answered per s", xs, ticks, false,
            [new("answered", "#1f77b4", rows.Select(r => D(r, "per_s")).ToArray())], zeroBased: true, xFrom: 0));
        File.WriteAllText(output, End(svg));
    }

    private static StringBuilder Begin(int panels, string caption)
    {
        var width = panels * PanelWidth;
        var height = PanelHeight + 22;
        var svg = new StringBuilder();
        svg.Append(F($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"10\">\n"));
        svg.Append(F($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n"));
        svg.Append(F($"<text x=\"6\" y=\"{height - 6}\" fill=\"#555\">{SecurityElement.Escape(caption)}</text>\n"));
        return svg;
    }

    private static string End(StringBuilder svg) => svg.Append("</svg>\n").ToString();

    private static string Panel(int index, string title, double[] xs, (double X, string Label)[] xTicks, bool logY, Line[] lines, bool zeroBased = true, double? xFrom = null)
    {
        var ox = index * PanelWidth;
        double w = PanelWidth - Left - Right, h = PanelHeight - Top - Bottom;
        var values = lines.SelectMany(l => l.Y).Where(v => !logY || v > 0).DefaultIfEmpty(1).ToArray();
        double lo, hi;
        double[] yTicks;
        if (logY)
        {
            lo = Math.Pow(10, Math.Floor(Math.Log10(values.Min())));
            hi = Math.Pow(10, Math.Ceiling(Math.Log10(values.Max() * 1.01)));
            yTicks = Enumerable.Range(0, (int)Math.Round(Math.Log10(hi / lo)) + 1).Select(k => lo * Math.Pow(10, k)).ToArray();
        }
        else
        {
            lo = zeroBased ? 0 : values.Min();
            var stepY = Nice((values.Max() - lo) / 4);
            hi = lo + stepY * Math.Ceiling((values.Max() - lo) / stepY + 1e-9);
            if (hi <= lo) hi = lo + 1;
            yTicks = Enumerable.Range(0, (int)Math.Round((hi - lo) / stepY) + 1).Select(k => lo + k * stepY).ToArray();
        }
        double xMin = xFrom ?? xs.Min(), xMax = xs.Max();
        if (xMax <= xMin) { xMin -= 1; xMax += 1; }
        const double pad = 14; // keep the first and last points off the frame
        double X(double x) => ox + Left + pad + (x - xMin) / (xMax - xMin) * (w - 2 * pad);
        double Y(double y) => Top + h - (logY ? Math.Log10(Math.Max(y, lo) / lo) / Math.Log10(hi / lo) : (y - lo) / (hi - lo)) * h;

        var s = new StringBuilder();
        s.Append(F($"<text x=\"{ox + Left}\" y=\"14\" font-size=\"11\" font-weight=\"bold\">{SecurityElement.Escape(title)}</text>\n"));
        s.Append(F($"<rect x=\"{ox + Left}\" y=\"{Top}\" width=\"{w}\" height=\"{h}\" fill=\"none\" stroke=\"#999\"/>\n"));
        foreach (var t in yTicks)
            s.Append(F($"<line x1=\"{ox + Left}\" x2=\"{ox + Left + w}\" y1=\"{Y(t):F1}\" y2=\"{Y(t):F1}\" stroke=\"#eee\"/><text x=\"{ox + Left - 4}\" y=\"{Y(t) + 3:F1}\" text-anchor=\"end\">{Label(t)}</text>\n"));
        foreach (var (x, label) in xTicks)
            s.Append(F($"<text x=\"{X(x):F1}\" y=\"{Top + h + 13}\" text-anchor=\"middle\">{SecurityElement.Escape(label)}</text>\n"));
        var legendY = Top + h + 27;
        var legendX = ox + Left;
        foreach (var line in lines)
        {
            var points = string.Join(' ', line.Y.Select((y, i) => F($"{X(xs[i]):F1},{Y(y):F1}")));
            var dash = line.Dashed ? " stroke-dasharray=\"4 3\"" : "";
            s.Append(F($"<polyline points=\"{points}\" fill=\"none\" stroke=\"{line.Color}\" stroke-width=\"1.6\"{dash}/>\n"));
            if (xs.Length <= 12)
                foreach (var (y, i) in line.Y.Select((y, i) => (y, i)))
                    s.Append(F($"<circle cx=\"{X(xs[i]):F1}\" cy=\"{Y(y):F1}\" r=\"2.5\" fill=\"{line.Color}\"/>\n"));
            s.Append(F($"<line x1=\"{legendX}\" x2=\"{legendX + 14}\" y1=\"{legendY - 3}\" y2=\"{legendY - 3}\" stroke=\"{line.Color}\" stroke-width=\"2\"{dash}/>"));
            s.Append(F($"<text x=\"{legendX + 17}\" y=\"{legendY}\" font-size=\"9\">{SecurityElement.Escape(line.Name)}</text>\n"));
            legendX += 24 + line.Name.Length * 5;
        }
        return s.ToString();
    }

    private static double Nice(double raw)
    {
        if (raw <= 0) return 1;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var f = raw / magnitude;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * magnitude;
    }

    private static string Label(double v) => v >= 1000 ? (v / 1000).ToString("0.#", CultureInfo.InvariantCulture) + "k"
        : v.ToString(v < 1 ? "0.##" : "0.#", CultureInfo.InvariantCulture);

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static double D(Dictionary<string, string> r, string key) =>
        r.TryGetValue(key, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : 0;

    /// <summary>Lines "KIND key=value …" of the results file as dictionaries (the last line of a name wins).</summary>
    private static IEnumerable<Dictionary<string, string>> Records(string file, string kind) =>
        File.ReadLines(file).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(p => p.Length > 1 && p[0] == kind)
            .Select(p => p.Skip(1).Select(kv => kv.Split('=', 2)).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0], kv => kv[1]))
            .GroupBy(r => r.GetValueOrDefault("name", "")).Select(g => g.Last());
}
