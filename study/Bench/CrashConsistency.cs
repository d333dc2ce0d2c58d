using System.Diagnostics;
using System.Text.Json;

namespace Pipeline.Study.Bench;

/// <summary>One kill: when it struck, whether the resumed run finished, and the files that differ from the uninterrupted run.</summary>
public sealed record KillPoint(int Index, double KilledAfterSeconds, bool Resumed, IReadOnlyList<string> Differences);

/// <summary>What <see cref="CrashConsistency"/> found: the reference run's length and every kill point.</summary>
public sealed record CrashReport(double ReferenceSeconds, IReadOnlyList<KillPoint> Points)
{
    public bool Consistent => Points.All(p => p.Resumed && p.Differences.Count == 0);
}

/// <summary>
/// Kills a training run at random moments (SIGKILL, no chance to clean up), resumes it, and compares
/// everything it trained with an uninterrupted run of the same command: checkpoint weights, optimizer
/// state and stage state byte for byte, and each metrics line's step, loss and learning rate (its
/// timings naturally differ).
/// </summary>
public static class CrashConsistency
{
    public static CrashReport Run(string workDir, int points, int seed, IProgress<string> progress)
    {
        if (points < 1) throw new ArgumentException($"--points must be positive (got {points})");
        workDir = Path.GetFullPath(workDir);
        if (Directory.Exists(workDir) && Directory.EnumerateFileSystemEntries(workDir).Any())
            throw new IOException($"{workDir} is not empty; name a new folder for the crash runs");
        Directory.CreateDirectory(workDir);
        string reference = Path.Combine(workDir, "reference");
        var clock = Stopwatch.StartNew();
        RequireSuccess(Start(reference), reference);
        double length = clock.Elapsed.TotalSeconds;
        progress.Report($"uninterrupted run: {length:F1} s");

        var rng = new Random(seed);
        var results = new List<KillPoint>();
        for (int i = 0; i < points; i++)
        {
            string run = Path.Combine(workDir, $"kill{i}");
            double at = 0.5 + rng.NextDouble() * (length - 1);
            using (var child = Start(run))
            {
                if (!child.WaitForExit(TimeSpan.FromSeconds(at))) child.Kill(entireProcessTree: true);
                child.WaitForExit();
            }
            using var resume = Start(run);
            resume.WaitForExit();
            bool resumed = resume.ExitCode == 0;
            var differences = resumed ? Compare(reference, run) : [$"resume exited {resume.ExitCode}: {resume.StandardError.ReadToEnd().Trim()}"];
            results.Add(new KillPoint(i, at, resumed, differences));
            progress.Report($"kill {i + 1}/{points} after {at:F1} s: " + (differences.Count == 0 ? "resumed, identical" : $"{differences.Count} differences, first {differences[0]}"));
        }
        return new CrashReport(length, results);
    }

    /// <summary>The tiny preset through stage 2, training its own 0a/0b, in a child process of this program.</summary>
    static Process Start(string run)
    {
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot find this program's path");
        var info = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") info.ArgumentList.Add(Environment.GetCommandLineArgs()[0]);
        foreach (string a in new[] { "run", "--preset", "tiny", "--run", run, "--until", "train", "--foundations", "scratch", "--ep", "cpu" }) info.ArgumentList.Add(a);
        var process = Process.Start(info)!;
        // Drain both pipes so that a chatty child never blocks on a full one.
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        return process;
    }

    static void RequireSuccess(Process p, string run)
    {
        using (p)
        {
            p.WaitForExit();
            if (p.ExitCode != 0) throw new InvalidOperationException($"the uninterrupted run in {run} failed ({p.ExitCode}): {p.StandardError.ReadToEnd().Trim()}");
        }
    }

    /// <summary>Every file under stages/ of both runs: the same set, the same bytes (metrics: the same step, loss and rate per line).</summary>
    public static IReadOnlyList<string> Compare(string reference, string run)
    {
        string a = RunLayout.At(reference).Stages, b = RunLayout.At(run).Stages;
        var left = Files(a);
        var right = Files(b);
        var differences = left.Except(right).Select(f => $"{f} missing after the resume").Concat(right.Except(left).Select(f => $"{f} only after the resume")).ToList();
        foreach (string file in left.Intersect(right))
        {
            string x = Path.Combine(a, file), y = Path.Combine(b, file);
            bool same = Path.GetFileName(file) switch
            {
                "metrics.jsonl" => Metrics(x).SequenceEqual(Metrics(y)),
                "eval.json" or "state.json" => WithoutTimings(x) == WithoutTimings(y),
                // Throughput is measured, not trained: it always differs.
                "training.json" => true,
                var name when name.EndsWith(".png", StringComparison.Ordinal) || name.EndsWith(".svg", StringComparison.Ordinal) || name.EndsWith(".md", StringComparison.Ordinal) => true,
                _ => File.ReadAllBytes(x).AsSpan().SequenceEqual(File.ReadAllBytes(y)),
            };
            if (!same) differences.Add($"{file} differs");
        }
        return differences;
    }

    static string WithoutTimings(string path)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        foreach (string timing in new[] { "questions_per_s", "samples_per_s", "elapsed_s" }) node.Remove(timing);
        return node.ToJsonString();
    }

    static HashSet<string> Files(string dir) => Directory.Exists(dir)
        ? Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dir, f)).ToHashSet(StringComparer.Ordinal)
        : [];

    static IEnumerable<string> Metrics(string path) => File.ReadLines(path).Where(l => l.Length > 0).Select(l =>
    {
        using var doc = JsonDocument.Parse(l);
        var r = doc.RootElement;
        string Field(string name) => r.TryGetProperty(name, out var v) ? v.GetRawText() : "-";
        return $"{Field("step")} {Field("loss")} {Field("lr")}";
    });
}
