using CommandLine;
using Pipeline.Cli.Console;
using Pipeline.Data;
using Pipeline.Train.Training;

namespace Pipeline.Cli.Verbs;

[Verb("run", HelpText = "Run the whole pipeline on a preset: data, pretraining, the three variants and their 2DS-test scores (export, validation and the report are not built yet). Resumes after an interruption.")]
public sealed class RunOptions
{
    [Option("preset", Default = "small", HelpText = "tiny, quick, small or full.")]
    public string Preset { get; set; } = "small";

    [Option("out", HelpText = "Run folder (default: artifacts/runs/<preset>).")]
    public string? Out { get; set; }

    [Option("device", Default = "cpu", HelpText = "cpu or cuda.")]
    public string Device { get; set; } = "cpu";

    [Option("data-only", Default = false, HelpText = "Stop after the data stage.")]
    public bool DataOnly { get; set; }
}

public static class RunVerb
{
    public static int Run(RunOptions args, Terminal terminal)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var preset = Preset.Parse(args.Preset);
        string root = Path.GetFullPath(args.Out ?? Path.Combine("artifacts", "runs", preset.Name));
        var train = TrainVerb.Options(new TrainOptionsCli { Preset = preset.Name, Run = root, Device = args.Device }, preset, root);
        terminal.Info($"run '{preset.Name}' in {root}");
        foreach (var (folder, options) in preset.DataSplits()) RunDataStage(RunContext.DataDir(root, folder), options, terminal);
        if (args.DataOnly) return 0;
        var summary = TrainVerb.Train(train, terminal);
        TrainVerb.PrintSummary(summary);
        terminal.Info($"report: {Reports.TrainingReport.Write(summary, root, clock.Elapsed)}");
        terminal.Info("not built yet: export, validation, evaluation from ONNX and the report (issues 4-6).");
        terminal.Info($"results: {Path.Combine(root, "stages", Trainer.SummaryFile)} ({clock.Elapsed.TotalMinutes:F1} min)");
        return 0;
    }

    /// <summary>Generates one split unless an intact copy made with the same options is already there.</summary>
    static void RunDataStage(string dir, DatasetOptions options, Terminal terminal)
    {
        if (IsUpToDate(dir, options))
        {
            terminal.Info($"data/{Path.GetFileName(dir)}: up to date, skipped");
            return;
        }
        var summary = terminal.Progress($"data/{Path.GetFileName(dir)}", options.Images,
            progress => DatasetWriter.Write(options, dir, force: true, progress));
        DataVerb.PrintSummary(summary, terminal);
    }

    static bool IsUpToDate(string dir, DatasetOptions o)
    {
        if (!File.Exists(Path.Combine(dir, DatasetManifest.FileName))) return false;
        try
        {
            return Dataset.Load(dir).Manifest.Describes(o);
        }
        catch (InvalidDataException)
        {
            return false; // damaged: regenerate
        }
    }
}
