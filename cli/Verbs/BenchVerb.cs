using Pipeline.Study.Bench;
using CommandLine;
using Pipeline.Cli.Console;
using Pipeline.Data;

namespace Pipeline.Cli.Verbs;

[Verb("bench", HelpText = "Benchmarks that print the figures the issues ask for.")]
public sealed class BenchOptions
{
    [Value(0, MetaName = "suite", Default = "data", HelpText = "What to measure: data, train, export, eval, fuzz or crash.")]
    public string Suite { get; set; } = "data";

    [Option("train-images", Default = 20_000, HelpText = "Training-split size for the data benchmark.")]
    public int TrainImages { get; set; } = 20_000;

    [Option("repeat", Default = 3, HelpText = "Runs per measurement; the best is reported.")]
    public int Repeat { get; set; } = 3;

    [Option("preset", Default = "small", HelpText = "Preset whose model sizes the train benchmark uses.")]
    public string Preset { get; set; } = "small";

    [Option("steps", Default = 20, HelpText = "Timed steps per round for the train benchmark (5 warm-up steps, 3 rounds, median).")]
    public int Steps { get; set; } = 20;

    [Option("threads", Default = 2, HelpText = "TorchSharp threads for the train benchmark; TorchSharp and ONNX Runtime threads for the export benchmark.")]
    public int Threads { get; set; } = 2;

    [Option("run", HelpText = "Export: a trained run folder. Crash: a new folder for the runs it kills and resumes.")]
    public string? Run { get; set; }

    [Option("variant", Default = "all", HelpText = "Export benchmark: all, or one variant (baseline, norm, norm-multilayer).")]
    public string Variant { get; set; } = "all";

    [Option("opset", Default = "both", HelpText = "Export benchmark: 17, 23 or both.")]
    public string Opset { get; set; } = "both";

    [Option("cases", Default = 2000, HelpText = "Fuzz: mutated copies of --artifact to validate.")]
    public int Cases { get; set; } = 2000;

    [Option("points", Default = 10, HelpText = "Crash: random kill points, each resumed and compared with an uninterrupted run.")]
    public int Points { get; set; } = 10;

    [Option("fuzz-seed", Default = 1, HelpText = "Fuzz and crash: the seed of the mutations or kill times.")]
    public int FuzzSeed { get; set; } = 1;

    [Option("artifact", HelpText = "Eval and fuzz benchmarks: the artifact folder.")]
    public string? Artifact { get; set; }

    [Option("data", HelpText = "Eval benchmark: the 2DS split (the test split).")]
    public string? Data { get; set; }

    [Option("checkpoint", HelpText = "Eval benchmark: the artifact's checkpoint, to time TorchSharp eager on the same batches.")]
    public string? Checkpoint { get; set; }

    [Option("questions", HelpText = "Export benchmark: the first N 2DS-test questions (default: all).")]
    public int? Questions { get; set; }
}

public static class BenchVerb
{
    public static int Run(BenchOptions args, Terminal terminal)
    {
        OptionChecks.Threads(args.Threads);
        if (args.Suite == "train")
        {
            if (args.Steps <= 0) throw new ArgumentException($"--steps must be positive (got {args.Steps})");
            TrainBench.Run(Pipeline.Train.Training.Preset.Parse(args.Preset), args.Steps, args.Threads, terminal.Lines);
            return 0;
        }
        if (args.Suite == "eval")
        {
            if (args.Artifact is null || args.Data is null) throw new ArgumentException("bench eval needs --artifact and --data (and --checkpoint to compare with TorchSharp)");
            EvalBench.Run(args.Artifact, args.Data, args.Checkpoint, args.Threads, terminal.Lines);
            return 0;
        }
        if (args.Suite == "export")
        {
            var result = ExportBench.Run(new ExportBenchOptions(args.Run ?? "", args.Variant, args.Opset, args.Questions, args.Threads), terminal.Lines);
            ExportBenchTables.Write(result);
            terminal.Info(result.Passed
                ? "parity: every exposed output within atol 1e-4 / rtol 1e-3 and every greedy answer identical"
                : "parity: FAILED (see the tables above)");
            return result.Passed ? 0 : 1;
        }
        if (args.Suite == "fuzz")
        {
            if (args.Artifact is null) throw new ArgumentException("bench fuzz needs --artifact, a good artifact to mutate");
            var summary = ValidatorFuzz.Run(args.Artifact, args.Cases, args.FuzzSeed, new Pipeline.Runtime.SessionSettings(args.Threads), terminal.Lines);
            terminal.Info($"{summary.Cases} cases ({string.Join(", ", summary.Kinds.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}"))}): " +
                string.Join(", ", summary.Outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key.ToString().ToLowerInvariant()} {o.Value}")));
            foreach (var f in summary.Findings.Take(20))
                terminal.Info($"finding: case {f.Index} {f.Kind} {f.Mutation}: {f.Outcome} {f.Message}");
            terminal.Info(summary.Findings.Count == 0 ? "no findings: every case was refused in one line or validated, and no broken copy passed" : $"{summary.Findings.Count} findings");
            return summary.Findings.Count == 0 ? 0 : 1;
        }
        if (args.Suite == "crash")
        {
            if (args.Run is null) throw new ArgumentException("bench crash needs --run, a new folder for the runs it kills and resumes");
            var report = CrashConsistency.Run(args.Run, args.Points, args.FuzzSeed, terminal.Lines);
            int identical = report.Points.Count(p => p.Resumed && p.Differences.Count == 0);
            terminal.Info($"{identical} of {report.Points.Count} kill points resumed to the uninterrupted run's checkpoints and metrics, byte for byte (run {report.ReferenceSeconds:F1} s)");
            return report.Consistent ? 0 : 1;
        }
        if (args.Suite != "data") throw new ArgumentException($"unknown benchmark suite '{args.Suite}': use data, train, export, eval, fuzz or crash");
        if (args.Repeat <= 0 || args.TrainImages <= 0) throw new ArgumentException("--repeat and --train-images must be positive");
        terminal.Info($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
        Measure("2DS test split (500 images, 3000 questions)", new DatasetOptions(), args.Repeat, terminal);
        Measure($"2DS train split ({args.TrainImages} images, 2 questions/category)", new DatasetOptions(Split.Train, args.TrainImages, null, 64, 2), args.Repeat, terminal);
        return 0;
    }

    static void Measure(string label, DatasetOptions options, int repeat, Terminal terminal)
    {
        string scratch = Path.Combine(Path.GetTempPath(), $"pipeline-bench-{Guid.NewGuid():N}");
        try
        {
            var times = new List<double>();
            DatasetSummary? last = null;
            for (int i = 0; i < repeat; i++)
            {
                last = DatasetWriter.Write(options, scratch, force: true);
                times.Add(last.Elapsed.TotalSeconds);
            }
            double best = times.Min();
            terminal.Info($"{label}: best {best:F2} s of {repeat} (all: {string.Join(", ", times.Select(t => t.ToString("F2")))} s), {options.Images / best:F0} images/s, {last!.Manifest.Questions} questions");
        }
        finally
        {
            if (Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true);
        }
    }
}
