using CommandLine;
using Pipeline.Cli.Console;
using Pipeline.Data;

namespace Pipeline.Cli.Verbs;

[Verb("run", isDefault: false, HelpText = "Run the whole pipeline on a preset (today: the data stage; training, export and evaluation are not built yet).")]
public sealed class RunOptions
{
    [Option("preset", Default = "small", HelpText = "tiny, quick, small or full.")]
    public string Preset { get; set; } = "small";

    [Option("out", HelpText = "Run folder (default: artifacts/runs/<preset>).")]
    public string? Out { get; set; }
}

/// <summary>How much data each preset makes.</summary>
public sealed record DataPreset(string Name, int TrainImages, int ValImages, int TestImages, int ImageSize, int QuestionsPerCategory)
{
    public static readonly DataPreset[] All =
    [
        new("tiny", 200, 50, 50, 32, 2),
        new("quick", 2_000, 250, 500, 64, 2),
        new("small", 20_000, 500, 500, 64, 2),
        new("full", 50_000, 1_000, 500, 64, 3),
    ];

    public static DataPreset Parse(string name) =>
        All.FirstOrDefault(p => p.Name == name.ToLowerInvariant())
        ?? throw new ArgumentException($"unknown preset '{name}': use {string.Join(", ", All.Select(p => p.Name))}");

    public IEnumerable<(string Folder, DatasetOptions Options)> Splits()
    {
        yield return ("test", new DatasetOptions(Split.Test, TestImages, null, ImageSize, 1));
        yield return ("train", new DatasetOptions(Split.Train, TrainImages, null, ImageSize, QuestionsPerCategory));
        yield return ("val", new DatasetOptions(Split.Val, ValImages, null, ImageSize, QuestionsPerCategory));
    }
}

public static class RunVerb
{
    public static int Run(RunOptions args, Terminal terminal)
    {
        var preset = DataPreset.Parse(args.Preset);
        string root = Path.GetFullPath(args.Out ?? Path.Combine("artifacts", "runs", preset.Name));
        terminal.Info($"run '{preset.Name}' in {root}");
        foreach (var (folder, options) in preset.Splits()) RunDataStage(Path.Combine(root, "data", folder), options, terminal);
        terminal.Info("stages not built yet: pretraining, training, export, validation, evaluation, report (issues 3-6).");
        terminal.Info($"data ready in {Path.Combine(root, "data")}");
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
            var m = Dataset.Load(dir).Manifest;
            return m.Split == o.Split.ToString().ToLowerInvariant() && m.Seed == o.EffectiveSeed && m.Images == o.Images
                && m.ImageSize == o.ImageSize && m.QuestionsPerCategory == o.QuestionsPerCategory
                && m.GeneratorVersion == DatasetManifest.CurrentVersion;
        }
        catch (InvalidDataException)
        {
            return false; // damaged: regenerate
        }
    }
}
