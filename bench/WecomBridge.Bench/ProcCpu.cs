namespace WecomBridge.Bench;

/// <summary>
/// CPU clock ticks from /proc around a load run: utime+stime of watched processes (name:pid,…) and the
/// machine's busy (user+nice+system+irq+softirq), steal and total ticks from /proc/stat.
/// </summary>
internal sealed class ProcCpu(string watch)
{
    private readonly (string Name, int Pid)[] _processes = watch.Split(',', StringSplitOptions.RemoveEmptyEntries)
        .Select(w => w.Split(':')).Select(p => (p[0], int.Parse(p[1]))).ToArray();

    public long[] Read()
    {
        var values = new List<long>();
        foreach (var (_, pid) in _processes) values.Add(ProcessTicks(pid));
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        long busy = cpu[0] + cpu[1] + cpu[2] + cpu[5] + cpu[6], steal = cpu.Length > 7 ? cpu[7] : 0;
        values.AddRange([busy, steal, busy + steal + cpu[3] + cpu[4]]);
        return values.ToArray();
    }

    /// <summary>CPU line for bench/report.sh: CPU name=… gateway=ticks … busy= steal= total= (deltas).</summary>
    public string Line(string name, long[] before, long[] after)
    {
        var names = _processes.Select(p => p.Name).Concat(["busy", "steal", "total"]);
        return $"CPU name={name} " + string.Join(' ', names.Select((n, i) => $"{n}={after[i] - before[i]}"));
    }

    private static long ProcessTicks(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[11]) + long.Parse(fields[12]); // utime, stime (fields 14 and 15 of the line)
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
