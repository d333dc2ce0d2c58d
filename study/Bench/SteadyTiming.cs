using System.Diagnostics;
using System.Globalization;

namespace Pipeline.Study.Bench;

/// <summary>One timed measurement: samples per second (median of rounds), each round's figure, and the CPU the process used per wall second.</summary>
/// <param name="PerReference">With a reference probe: the median over rounds of the round's rate divided by the probe's
/// figure just before it, × 100 (samples/s at a machine whose probe reads 100), so that drift of the machine's speed
/// between rounds and between runs cancels; null without one.</param>
public sealed record Throughput(double SamplesPerS, IReadOnlyList<double> Rounds, double CpuPerWall, double MsPerStep, double? PerReference = null);

/// <summary>
/// Timing that holds still on a shared machine: warm-up steps first (allocator, caches, lazy
/// kernels), then rounds of timed steps whose median is reported, with the process's CPU time
/// beside the wall time, so a neighbour stealing cores shows as CPU/wall below the thread count.
/// </summary>
public static class SteadyTiming
{
    public const int DefaultWarmup = 5, DefaultSteps = 20, DefaultRounds = 3;

    /// <param name="step">One step of the work; returns nothing, timed from outside.</param>
    /// <param name="samplesPerStep">Samples one step processes (the batch).</param>
    /// <param name="reference">A short probe of the machine's current speed (e.g. sgemm GFLOP/s), run before every round.</param>
    public static Throughput Measure(Action step, int samplesPerStep, int steps = DefaultSteps, int warmup = DefaultWarmup, int rounds = DefaultRounds,
        Func<double>? reference = null)
    {
        if (steps < 1 || rounds < 1 || warmup < 0) throw new ArgumentException($"--steps and rounds must be positive and warm-up not negative (got {steps}, {rounds}, {warmup})");
        for (int i = 0; i < warmup; i++) step();
        var process = Process.GetCurrentProcess();
        var perRound = new List<double>(rounds);
        var perReference = new List<double>(rounds);
        double wall = 0, cpu = 0;
        for (int r = 0; r < rounds; r++)
        {
            double probe = reference?.Invoke() ?? double.NaN;
            process.Refresh();
            var cpuStart = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < steps; i++) step();
            double seconds = clock.Elapsed.TotalSeconds;
            process.Refresh();
            cpu += (process.TotalProcessorTime - cpuStart).TotalSeconds;
            wall += seconds;
            perRound.Add(steps * samplesPerStep / seconds);
            if (reference is not null) perReference.Add(100 * perRound[^1] / probe);
        }
        double median = Median(perRound);
        return new Throughput(median, perRound, cpu / wall, 1000.0 * samplesPerStep / median, reference is null ? null : Median(perReference));
    }

    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("No values.", nameof(values));
        var sorted = values.Order().ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}

/// <summary>What else is using this machine: the load average and the busiest other processes.</summary>
public static class MachineLoad
{
    /// <summary>The 1, 5 and 15 minute load averages from /proc/loadavg text, or null where there is none.</summary>
    public static (double One, double Five, double Fifteen)? Parse(string? loadavg)
    {
        var parts = loadavg?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts is null || parts.Length < 3) return null;
        static double N(string s) => double.Parse(s, CultureInfo.InvariantCulture);
        return (N(parts[0]), N(parts[1]), N(parts[2]));
    }

    public static (double One, double Five, double Fifteen)? Read() =>
        File.Exists("/proc/loadavg") ? Parse(File.ReadAllText("/proc/loadavg")) : null;

    /// <summary>Other processes that used more than <paramref name="threshold"/> of a core over <paramref name="window"/> (Linux; empty elsewhere).</summary>
    public static IReadOnlyList<(int Pid, string Name, double Cores)> Competitors(TimeSpan window, double threshold = 0.2)
    {
        if (!Directory.Exists("/proc")) return [];
        var before = CpuTicks();
        Thread.Sleep(window);
        var after = CpuTicks();
        double ticksPerSecond = 100;  // USER_HZ on Linux
        int self = Environment.ProcessId;
        return after.Where(a => a.Key != self && before.TryGetValue(a.Key, out var b))
            .Select(a => (Pid: a.Key, a.Value.Name, Cores: (a.Value.Ticks - before[a.Key].Ticks) / ticksPerSecond / window.TotalSeconds))
            .Where(p => p.Cores > threshold)
            .OrderByDescending(p => p.Cores)
            .ToArray();
    }

    static Dictionary<int, (string Name, long Ticks)> CpuTicks()
    {
        var result = new Dictionary<int, (string, long)>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            try
            {
                string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                int open = stat.IndexOf('('), close = stat.LastIndexOf(')');
                var fields = stat[(close + 2)..].Split(' ');
                // After the name: state is field 0, utime field 11, stime field 12.
                result[pid] = (stat[(open + 1)..close], long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
            {
                // the process ended between listing and reading
            }
        }
        return result;
    }

    /// <summary>The load average and, when another process competes for the cores, a warning naming it.</summary>
    public static IEnumerable<string> Report()
    {
        if (Read() is { } load)
            yield return string.Create(CultureInfo.InvariantCulture, $"load average {load.One:F2} {load.Five:F2} {load.Fifteen:F2} on {Environment.ProcessorCount} cores");
        var others = Competitors(TimeSpan.FromSeconds(1));
        if (others.Count > 0)
            yield return "warning: other processes compete for the cores, so these figures are low: " +
                string.Join(", ", others.Select(o => string.Create(CultureInfo.InvariantCulture, $"{o.Name} (pid {o.Pid}, {o.Cores:F1} cores)")));
    }
}
