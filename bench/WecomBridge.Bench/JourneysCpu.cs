namespace WecomBridge.Bench;

/// <summary>
/// CPU clock ticks of a PostgreSQL cluster: the postmaster (with its ended children, cutime/cstime) and every live
/// child (the backends of the runners' connections, the WAL writer, autovacuum). 0 without a postmaster pid.
/// </summary>
internal static class PostgresCpu
{
    public static long Ticks(int postmaster)
    {
        if (postmaster <= 0) return 0;
        var total = 0L;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                // f[1] ppid; f[11], f[12] utime, stime; f[13], f[14] cutime, cstime (fields 4, 14–17 of the line)
                if (pid == postmaster) total += long.Parse(f[11]) + long.Parse(f[12]) + long.Parse(f[13]) + long.Parse(f[14]);
                else if (int.Parse(f[1]) == postmaster) total += long.Parse(f[11]) + long.Parse(f[12]);
            }
            catch (IOException) { } // the process ended
        }
        return total;
    }
}
