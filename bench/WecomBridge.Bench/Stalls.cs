using System.Globalization;

namespace WecomBridge.Bench;

/// <summary>
/// Reads a closed-loop timeline (ClosedLoop's --timeline lines: start ms, latency ms, loop, status) and tells
/// whether the slow requests were slow alone or together: requests over the threshold whose time spans
/// overlap form one stall. A stall in which every loop waited at once points at something all of them share
/// (a process that stopped, the CPUs taken by other work); slow requests spread alone point at per-request work.
/// </summary>
internal static class Stalls
{
    public static string Analyse(string name, string timeline, double overMs)
    {
        var rows = File.ReadLines(timeline).Select(line => line.Split(' '))
            .Select(p => (Start: double.Parse(p[0], CultureInfo.InvariantCulture), Ms: double.Parse(p[1], CultureInfo.InvariantCulture), Loop: int.Parse(p[2], CultureInfo.InvariantCulture)))
            .ToArray();
        var loops = rows.Select(r => r.Loop).Distinct().Count();
        var slow = rows.Where(r => r.Ms > overMs).OrderBy(r => r.Start).ToArray();
        var stalls = new List<(double From, double To, HashSet<int> Loops, int Requests)>();
        foreach (var r in slow)
        {
            if (stalls.Count > 0 && r.Start <= stalls[^1].To)
            {
                var s = stalls[^1];
                s.Loops.Add(r.Loop);
                stalls[^1] = (s.From, Math.Max(s.To, r.Start + r.Ms), s.Loops, s.Requests + 1);
            }
            else stalls.Add((r.Start, r.Start + r.Ms, [r.Loop], 1));
        }
        var together = stalls.Where(s => s.Loops.Count == loops).ToArray();
        var seconds = rows.Length == 0 ? 0 : (rows.Max(r => r.Start + r.Ms) - rows.Min(r => r.Start)) / 1000;
        return string.Create(CultureInfo.InvariantCulture,
            $"STALLS name={name} loops={loops} ran={rows.Length} over_ms={overMs} slow={slow.Length} stalls={stalls.Count} " +
            $"all_loops={together.Length} slow_in_all_loops={together.Sum(s => s.Requests)} stalls_per_s={(seconds > 0 ? stalls.Count / seconds : 0):F1} " +
            $"longest_ms={(stalls.Count == 0 ? 0 : stalls.Max(s => s.To - s.From)):F1}");
    }
}
