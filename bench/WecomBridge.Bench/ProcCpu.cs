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

/// <summary>
/// The kernel's pressure stall information (/proc/pressure/io and cpu, PSI): the total µs during which some task (some)
/// or every non-idle task (full) waited for I/O or for a CPU. Zeros where the kernel has no PSI.
/// </summary>
internal static class Pressure
{
    public static (long IoSome, long IoFull, long CpuSome) Read() => (Total("io", "some"), Total("io", "full"), Total("cpu", "some"));

    private static long Total(string resource, string kind)
    {
        try
        {
            var line = File.ReadLines($"/proc/pressure/{resource}").FirstOrDefault(l => l.StartsWith(kind + ' '));
            var total = line?.Split(' ').FirstOrDefault(f => f.StartsWith("total="));
            return total is null ? 0 : long.Parse(total["total=".Length..]);
        }
        catch (IOException) { return 0; }
        catch (UnauthorizedAccessException) { return 0; }
    }
}

/// <summary>
/// Time the threads of a process spent runnable but waiting for a CPU (/proc/PID/task/*/schedstat, second field, ns),
/// summed over its threads: high when the machine's CPUs are contended; low during a stall when the process was not
/// waiting for a CPU (it waited for something else, or the whole machine did not run).
/// </summary>
internal static class RunQueue
{
    public static long WaitNs(int pid)
    {
        long sum = 0;
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                try { sum += long.Parse(File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ')[1]); }
                catch (IOException) { } // the thread ended
            }
        }
        catch (IOException) { }
        return sum;
    }
}
